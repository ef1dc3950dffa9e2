using WebApi;

// An ASP.NET Core app with its own embedding endpoints:
//   Embeddings__Visual__Model=<SigLIP folder or hub id> Embeddings__Text__Model=<text model> dotnet run --project samples/WebApi
//   curl -X POST localhost:5000/similar -H 'Content-Type: application/json' -d '{"query": "red dress", "candidates": ["crimson gown", "blue jeans"]}'
//   curl -X POST 'localhost:5000/images/match?text=a%20dog' -F image=@dog.jpg -F image=@cat.jpg
var builder = WebApplication.CreateBuilder(args);

#region snippet: webapi-registration
// The models and the mode come from the "Embeddings" section and the environment (VISUAL_EMBEDDING_MODE, ...).
builder.Services.AddEmbeddings();
builder.Services.AddHealthChecks();   // the embedding providers' health checks join these
#endregion

var app = builder.Build();
app.MapHealthChecks("/health");
app.MapPost("/similar", SimilarityEndpoints.SimilarTextsAsync);
app.MapPost("/images/match", SimilarityEndpoints.MatchImagesAsync).DisableAntiforgery();
app.Run();
