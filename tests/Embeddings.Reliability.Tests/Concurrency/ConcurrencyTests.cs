using Embeddings.Local;
using Embeddings.Reliability.HostileInput;
using Embeddings.Reliability.Support;
using Embeddings.Remote;
using Embeddings.TestSupport;

namespace Embeddings.Reliability.Concurrency;

/// <summary>32 callers sharing one provider get, bit for bit, what they get one after another.</summary>
public sealed class ConcurrencyTests(ITestOutputHelper output)
{
    private const int Callers = 32;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task EmbedAsync_32CallersOnLocalText_BitwiseEqualToSequential()
    {
        LocalOnnxProvider provider = ReliabilityModels.Shared("embeddinggemma");
        List<EmbeddingInput[]> work = [.. Enumerable.Range(0, Callers).Select(c => Texts(c, 3 + (c % 9)))];
        await AssertConcurrentEqualsSequentialAsync(provider, work, "local text (embeddinggemma)");
    }

    [Fact]
    public async Task EmbedAsync_32CallersOnLocalImages_BitwiseEqualToSequential()
    {
        LocalOnnxProvider provider = ReliabilityModels.Shared("siglip2");
        byte[][] photos = [.. HostileImages.GoodFiles.Concat(["camera_grayscale.jpg", "tiny_animated.gif", "coffee_cmyk.jpg"]).Select(HostileImages.Read)];
        List<EmbeddingInput[]> work = [.. Enumerable.Range(0, Callers).Select(c =>
            Enumerable.Range(0, 1 + (c % 5)).Select(k => k == 2 && c % 3 == 0
                ? EmbeddingInput.FromImage(photos[0][..200], "truncated")
                : EmbeddingInput.FromImage(photos[(c + k) % photos.Length], $"photo {(c + k) % photos.Length}")).ToArray())];
        await AssertConcurrentEqualsSequentialAsync(provider, work, "local images (siglip2)");
    }

    [Fact]
    public async Task EmbedAsync_32CallersOnRemote_BitwiseEqualToSequential()
    {
        await using FaultInjectingServer server = await FaultInjectingServer.StartAsync(dimensions: 16);
        server.ResponseDelay = TimeSpan.FromMilliseconds(2);
        var options = new HuggingFaceProviderOptions
        {
            BaseUrl = server.BaseUrl,
            ModelId = "test-org/test-model",
            Protocol = RemoteProtocol.TextEmbeddingsInference,
            BatchSize = 4,
            MaxConcurrentRequests = 6,
        };
        using HuggingFaceProvider provider = HuggingFaceProvider.Create(options);
        List<EmbeddingInput[]> work = [.. Enumerable.Range(0, Callers).Select(c => Texts(c, 1 + (c % 11)))];
        await AssertConcurrentEqualsSequentialAsync(provider, work, "remote (TEI fake)");
        output.WriteLine($"remote: at most {server.MaxConcurrency} requests in flight (limit {options.MaxConcurrentRequests}).");
        Assert.InRange(server.MaxConcurrency, 1, options.MaxConcurrentRequests);
    }

    private async Task AssertConcurrentEqualsSequentialAsync(IEmbeddingProvider provider, List<EmbeddingInput[]> work, string what)
    {
        var sequential = new List<IReadOnlyList<EmbeddingResult>>();
        foreach (EmbeddingInput[] inputs in work)
        {
            sequential.Add(await provider.EmbedAsync(inputs, cancellationToken: Ct));
        }

        using var start = new ManualResetEventSlim();
        Task<IReadOnlyList<EmbeddingResult>>[] running = [.. work.Select(inputs => Task.Run(async () =>
        {
            start.Wait(Ct);
            return await provider.EmbedAsync(inputs, cancellationToken: Ct);
        }, Ct))];
        start.Set();
        IReadOnlyList<EmbeddingResult>[] concurrent = await Task.WhenAll(running);

        int vectors = 0, errors = 0;
        for (int c = 0; c < work.Count; c++)
        {
            Assert.Equal(work[c].Length, concurrent[c].Count);
            for (int i = 0; i < work[c].Length; i++)
            {
                EmbeddingResult expected = sequential[c][i], actual = concurrent[c][i];
                Assert.Equal(expected.Succeeded, actual.Succeeded);
                if (expected.Succeeded)
                {
                    Assert.True(Vectors.BitwiseEqual(expected.Vector.Span, actual.Vector.Span), $"{what}: caller {c}, input {i} differs from the sequential call");
                    vectors++;
                }
                else
                {
                    Assert.Equal(expected.Error!.GetType(), actual.Error!.GetType());
                    Assert.Equal(expected.Error.Message, actual.Error.Message);
                    errors++;
                }
            }
        }

        output.WriteLine($"{what}: {Callers} concurrent callers, {vectors} vectors bitwise equal to sequential calls, {errors} errors identical.");
    }

    private static EmbeddingInput[] Texts(int caller, int count)
    {
        string[] words = ["harbour", "lantern", "violet", "engine", "東京", "🚀", "quiet", "über", "seven"];
        var random = new Random(1000 + caller);
        return [.. Enumerable.Range(0, count).Select(_ => EmbeddingInput.FromText(string.Join(' ', Enumerable.Range(0, random.Next(1, 40)).Select(_ => words[random.Next(words.Length)]))))];
    }
}
