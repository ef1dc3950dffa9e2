using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Numerics.Tensors;
using Embeddings;
using Embeddings.DependencyInjection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

// Uses the packages as an application would: AddEmbeddings() with two local models, the Microsoft.Extensions.AI
// generators, and MapEmbeddings() served on loopback. ONNX Runtime and libvips are found through the documented
// environment variables (EMBEDDINGS_ONNXRUNTIME_PATH, EMBEDDINGS_LIBVIPS_PATH), set by eng/consumer-test.sh.
// Arguments: <visual model folder> <text model folder> <image> <another image>.
if (args.Length != 4)
{
    Console.Error.WriteLine("usage: Consumer <visual model> <text model> <image> <another image>");
    return 2;
}

const string Token = "consumer-test-token";
var builder = WebApplication.CreateSlimBuilder();
builder.WebHost.UseUrls("http://127.0.0.1:0");
builder.Services.AddEmbeddings(options =>
{
    options.Visual.Model = args[0];
    options.Text.Model = args[1];
    options.ModelLoading = EmbeddingModelLoading.BeforeStartup;
});

await using WebApplication app = builder.Build();
app.MapEmbeddings(options => options.AuthToken = Token);
await app.StartAsync();

// The text model, through Microsoft.Extensions.AI.
var textGenerator = app.Services.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>();
var textProvider = app.Services.GetRequiredKeyedService<IEmbeddingProvider>(EmbeddingsServiceKeys.Text);
Embedding<float> text = await textGenerator.GenerateAsync("a dog running on a beach");
Check(text.Vector, textProvider.Metadata.Dimensions, "text");

// The visual model: two images, one of them twice.
var imageProvider = app.Services.GetRequiredKeyedService<IEmbeddingProvider>(EmbeddingsServiceKeys.Image);
ReadOnlyMemory<float> image = await imageProvider.EmbedImageFileAsync(args[2]);
ReadOnlyMemory<float> again = await imageProvider.EmbedImageAsync(await File.ReadAllBytesAsync(args[2]));
ReadOnlyMemory<float> other = await imageProvider.EmbedImageFileAsync(args[3]);
Check(image, imageProvider.Metadata.Dimensions, "image");
Check(other, imageProvider.Metadata.Dimensions, "other image");
Require(image.Span.SequenceEqual(again.Span), "the same image, as a file and as bytes, gave different vectors");
float self = TensorPrimitives.CosineSimilarity(image.Span, again.Span);
float across = TensorPrimitives.CosineSimilarity(image.Span, other.Span);
Require(self > across, $"an image is no closer to itself ({self}) than to another image ({across})");

// The server: /predict answers the text model's vector for the query prompt, as the provider gives it.
string address = app.Urls.First();
using var http = new HttpClient { BaseAddress = new Uri(address) };
http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
using HttpResponseMessage response = await http.PostAsJsonAsync("/predict", new { query = "a dog running on a beach" });
Require(response.IsSuccessStatusCode, $"/predict answered {(int)response.StatusCode}");
float[] served = (await response.Content.ReadFromJsonAsync<float[]>())!;
ReadOnlyMemory<float> direct = await textProvider.EmbedTextAsync("a dog running on a beach", new EmbeddingRequestOptions { PromptName = "query" });
Require(served.AsSpan().SequenceEqual(direct.Span), "/predict did not answer the provider's vector");

await app.StopAsync();
Console.WriteLine($"consumer: ok: text {textProvider.Metadata.ModelId} ({text.Vector.Length} dims), "
    + $"images {imageProvider.Metadata.ModelId} ({image.Length} dims, self {self:0.0000} > other {across:0.0000}), /predict matches");
return 0;

static void Check(ReadOnlyMemory<float> vector, int dimensions, string what)
{
    Require(vector.Length == dimensions, $"{what}: {vector.Length} dimensions, the model declares {dimensions}");
    Require(vector.Span.ContainsAnyExcept(0f), $"{what}: all zeros");
    foreach (float value in vector.Span)
    {
        Require(float.IsFinite(value), $"{what}: a value is not finite");
    }

    float norm = TensorPrimitives.Norm(vector.Span);
    Require(Math.Abs(norm - 1) < 1e-3, $"{what}: norm {norm}, expected a unit vector");
}

static void Require(bool condition, string message)
{
    if (!condition)
    {
        throw new InvalidOperationException("consumer: " + message);
    }
}
