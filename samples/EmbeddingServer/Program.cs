// A drop-in replacement for the LitServe EmbeddingGemma server (POST /predict {"query": ...} → 768 floats, Bearer
// auth, /health, port 7860), configured from the same environment:
//   auth_token         the bearer token clients send (required; without it the server refuses to start)
//   HF_TOKEN           hub token, for private or gated models
//   EMBEDDINGS_MODEL   hub id or local folder of the text model (default onnx-community/embeddinggemma-300m-ONNX)
//   PORT               port when ASPNETCORE_URLS is not set (default 7860, the Hugging Face Spaces port)
// plus everything AddEmbeddings() reads (VISUAL_EMBEDDING_*, HUGGINGFACE_*, HF_HOME, HF_HUB_OFFLINE). Unlike the
// Python server, /health answers without a token (for load balancers), /health/ready says when the model is loaded,
// requests are batched dynamically, and {"query": "..."} embeds the query, not the word "query".
using Embeddings.DependencyInjection;

WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(args);
if (string.IsNullOrEmpty(builder.Configuration["ASPNETCORE_URLS"]) && string.IsNullOrEmpty(builder.Configuration["URLS"]))
{
    string port = Environment.GetEnvironmentVariable("PORT") is { Length: > 0 } p ? p : "7860";
    builder.WebHost.UseUrls($"http://0.0.0.0:{port}");
}

builder.Services.AddEmbeddings(options =>
{
    if (Environment.GetEnvironmentVariable("EMBEDDINGS_MODEL") is { Length: > 0 } model)
    {
        options.Text.Model = model;
    }

    // A text server, like the one it replaces: an image model is served only when one is configured.
    options.Visual.Enabled = Environment.GetEnvironmentVariable("VISUAL_EMBEDDING_PRIMARY_MODEL") is { Length: > 0 };
    options.ModelLoading = EmbeddingModelLoading.AtStartup;
});

WebApplication app = builder.Build();
app.MapEmbeddings();
app.Run();
