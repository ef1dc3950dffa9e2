using System.Net;
using System.Net.Http.Json;
using System.Numerics.Tensors;
using Embeddings;
using Embeddings.DependencyInjection;
using Embeddings.TestSupport;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace WebApi;

public sealed class WebApiSampleTests : IAsyncLifetime
{
    private WebApplicationFactory<SimilarRequest> _factory = null!;
    private HttpClient _client = null!;

    public ValueTask InitializeAsync()
    {
        _factory = new WebApplicationFactory<SimilarRequest>().WithWebHostBuilder(web => web
            .UseSetting("Embeddings:Visual:Model", TestAssets.TinyModelDir("siglip2"))
            .UseSetting("Embeddings:Text:Model", TestAssets.TinyModelDir("embeddinggemma"))
            .UseSetting("Embeddings:ModelLoading", "BeforeStartup"));
        _client = _factory.CreateClient();
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _factory.DisposeAsync();
    }

    [Fact]
    public async Task Similar_QueryEqualToACandidate_RanksThatCandidateFirst()
    {
        string[] candidates = ["blue denim jeans", "a red evening dress", "hiking boots with steel toes"];

        using HttpResponseMessage response = await _client.PostAsJsonAsync(
            "/similar", new { query = "a red evening dress", candidates }, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Scored[] ranked = (await response.Content.ReadFromJsonAsync<Scored[]>(TestContext.Current.CancellationToken))!;
        Assert.Equal(["a red evening dress"], ranked.Take(1).Select(s => s.Item));
        Assert.Equal(candidates.Order(), ranked.Select(s => s.Item).Order());
        Assert.True(ranked.Zip(ranked.Skip(1)).All(p => p.First.Score >= p.Second.Score), "not sorted by score");
    }

    [Fact]
    public async Task Similar_NoCandidates_Answers400()
    {
        using HttpResponseMessage response = await _client.PostAsJsonAsync(
            "/similar", new { query = "anything", candidates = Array.Empty<string>() }, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task MatchImages_OneUnreadableImage_ScoresTheOthersAndNamesTheBadOne()
    {
        using var form = new MultipartFormDataContent
        {
            { new ByteArrayContent(await File.ReadAllBytesAsync(Path.Combine(TestAssets.ImagesDir, "dog_beach.jpg"), TestContext.Current.CancellationToken)), "images", "dog.jpg" },
            { new ByteArrayContent("not an image"u8.ToArray()), "images", "broken.jpg" },
            { new ByteArrayContent(await File.ReadAllBytesAsync(Path.Combine(TestAssets.ImagesDir, "rocket_launch.jpg"), TestContext.Current.CancellationToken)), "images", "rocket.jpg" },
        };

        using HttpResponseMessage response = await _client.PostAsync("/images/match?text=a%20dog%20on%20a%20beach", form, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Scored[] scored = (await response.Content.ReadFromJsonAsync<Scored[]>(TestContext.Current.CancellationToken))!;
        Assert.Equal(["dog.jpg", "broken.jpg", "rocket.jpg"], scored.Select(s => s.Item));
        Assert.Null(scored[1].Score);
        Assert.Contains("'broken.jpg'", scored[1].Error, StringComparison.Ordinal);

        // The scores are the visual model's: the same cosine the keyed provider gives directly.
        var visual = _factory.Services.GetRequiredKeyedService<IEmbeddingProvider>(EmbeddingsServiceKeys.Image);
        ReadOnlyMemory<float> text = await visual.EmbedTextAsync("a dog on a beach", cancellationToken: TestContext.Current.CancellationToken);
        ReadOnlyMemory<float> dog = await visual.EmbedImageFileAsync(Path.Combine(TestAssets.ImagesDir, "dog_beach.jpg"), cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(TensorPrimitives.CosineSimilarity(text.Span, dog.Span), scored[0].Score!.Value, 5);
        Assert.Null(scored[0].Error);
        Assert.NotNull(scored[2].Score);
    }
}
