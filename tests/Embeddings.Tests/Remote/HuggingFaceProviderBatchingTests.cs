using Embeddings.TestSupport;
using static Embeddings.Remote.RemoteTestHelpers;

namespace Embeddings.Remote;

public sealed class HuggingFaceProviderBatchingTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static EmbeddingInput[] Texts(int count) => [.. Enumerable.Range(0, count).Select(i => EmbeddingInput.FromText($"input {i}"))];

    [Theory]
    [InlineData(1, 10, 1)]
    [InlineData(10, 10, 1)]
    [InlineData(11, 10, 2)]
    [InlineData(25, 10, 3)]
    [InlineData(7, 3, 3)]
    public async Task EmbedAsync_NInputs_SendsCeilingOfNOverBatchSizeRequestsAndKeepsOrder(int count, int batchSize, int requests)
    {
        await using var server = await FaultInjectingServer.StartAsync(dimensions: 8);
        using var scope = Provider(Options(server, configure: o => o.BatchSize = batchSize));

        IReadOnlyList<EmbeddingResult> results = await scope.Provider.EmbedAsync(Texts(count), cancellationToken: Ct);

        Assert.Equal(requests, server.TotalRequests);
        Assert.All(server.Requests, r => Assert.InRange(r.Inputs, 1, batchSize));
        Assert.Equal(count, server.Requests.Sum(r => r.Inputs));
        for (int i = 0; i < count; i++)
        {
            AssertVector(FakeEmbedding.Normalized(FakeEmbedding.ForText($"input {i}", 8)), results[i].Vector);
        }
    }

    [Fact]
    public async Task EmbedAsync_ManyBatches_NeverExceedsMaxConcurrentRequests()
    {
        await using var server = await FaultInjectingServer.StartAsync();
        server.ResponseDelay = TimeSpan.FromMilliseconds(100);
        using var scope = Provider(Options(server, configure: o =>
        {
            o.BatchSize = 2;
            o.MaxConcurrentRequests = 3;
        }));

        IReadOnlyList<EmbeddingResult> results = await scope.Provider.EmbedAsync(Texts(24), cancellationToken: Ct);

        Assert.All(results, r => Assert.True(r.Succeeded));
        Assert.Equal(12, server.TotalRequests);
        Assert.Equal(3, server.MaxConcurrency);
    }

    [Fact]
    public async Task EmbedAsync_ManyConcurrentCallers_ShareTheConcurrencyBound()
    {
        await using var server = await FaultInjectingServer.StartAsync(dimensions: 8);
        server.ResponseDelay = TimeSpan.FromMilliseconds(5);
        using var scope = Provider(Options(server, configure: o => o.MaxConcurrentRequests = 4));

        IReadOnlyList<EmbeddingResult>[] all = await Task.WhenAll(Enumerable.Range(0, 200).Select(i =>
            scope.Provider.EmbedAsync([$"caller {i}"], cancellationToken: Ct)));

        for (int i = 0; i < all.Length; i++)
        {
            AssertVector(FakeEmbedding.Normalized(FakeEmbedding.ForText($"caller {i}", 8)), all[i][0].Vector);
        }

        Assert.Equal(200, server.TotalRequests);
        Assert.InRange(server.MaxConcurrency, 1, 4);
    }

    [Fact]
    public async Task EmbedAsync_OneBatchFails_OnlyItsInputsFail()
    {
        await using var server = await FaultInjectingServer.StartAsync(dimensions: 8);
        server.EnqueueFaults(ServerFault.Status(400));
        using var scope = Provider(Options(server, configure: o =>
        {
            o.BatchSize = 4;
            o.MaxConcurrentRequests = 1; // the first batch sent is the one that fails
        }));

        IReadOnlyList<EmbeddingResult> results = await scope.Provider.EmbedAsync(Texts(10), cancellationToken: Ct);

        for (int i = 0; i < 10; i++)
        {
            if (i < 4)
            {
                var error = Assert.IsType<RemoteEmbeddingException>(results[i].Error);
                Assert.Equal(400, error.StatusCode);
            }
            else
            {
                AssertVector(FakeEmbedding.Normalized(FakeEmbedding.ForText($"input {i}", 8)), results[i].Vector);
            }
        }

        Assert.Equal(3, server.TotalRequests);
    }

    [Fact]
    public async Task EmbedAsync_ConcurrentBatchesWithOneFailing_IsolatesThatBatch()
    {
        await using var server = await FaultInjectingServer.StartAsync(dimensions: 8);
        server.EnqueueFaults(ServerFault.Status(413));
        using var scope = Provider(Options(server, configure: o => o.BatchSize = 5));

        IReadOnlyList<EmbeddingResult> results = await scope.Provider.EmbedAsync(Texts(20), cancellationToken: Ct);

        // Whichever batch met the fault: exactly its five inputs fail, consecutively, sharing one error.
        int[] failed = [.. Enumerable.Range(0, 20).Where(i => !results[i].Succeeded)];
        Assert.Equal(5, failed.Length);
        Assert.Equal(0, failed[0] % 5);
        Assert.Equal(failed[0] + 4, failed[^1]);
        Assert.All(failed, i => Assert.Same(results[failed[0]].Error, results[i].Error));
        Assert.Equal(15, results.Count(r => r.Succeeded));
    }

    [Fact]
    public async Task EmbedAsync_UnreadableOrTooLargeImages_FailAloneAndTheRestAreSent()
    {
        await using var server = await FaultInjectingServer.StartAsync(dimensions: 8);
        using var scope = Provider(Options(server, RemoteProtocol.EmbeddingsServer, o => o.MaxImageBytes = 64 * 1024));
        byte[] small = [.. Enumerable.Range(0, 100).Select(i => (byte)i)];
        byte[] big = new byte[64 * 1024 + 1];
        string missing = Path.Combine(Path.GetTempPath(), $"missing-{Guid.NewGuid():N}.jpg");

        IReadOnlyList<EmbeddingResult> results = await scope.Provider.EmbedAsync(
            [
                EmbeddingInput.FromImage(small, "small"),
                EmbeddingInput.FromImageFile(missing),
                EmbeddingInput.FromImage(big, "big"),
                EmbeddingInput.FromImage(new MemoryStream(big), "big stream"),
                EmbeddingInput.FromImage(ReadOnlyMemory<byte>.Empty, "empty"),
                "text",
            ],
            cancellationToken: Ct);

        AssertVector(FakeEmbedding.Normalized(FakeEmbedding.ForImage(small, 8)), results[0].Vector);
        Assert.Equal(EmbeddingInputError.Unreadable, Assert.IsType<EmbeddingInputException>(results[1].Error).Reason);
        Assert.Equal(EmbeddingInputError.TooLarge, Assert.IsType<EmbeddingInputException>(results[2].Error).Reason);
        Assert.Equal(EmbeddingInputError.TooLarge, Assert.IsType<EmbeddingInputException>(results[3].Error).Reason);
        Assert.Equal(EmbeddingInputError.Empty, Assert.IsType<EmbeddingInputException>(results[4].Error).Reason);
        Assert.True(results[5].Succeeded);
        Assert.Contains("big stream", results[3].Error!.Message, StringComparison.Ordinal);
        Assert.Equal(1, server.RequestCount(FaultInjectingServer.ImageRoute));
        Assert.Equal(1, server.Requests.Single(r => r.Route == FaultInjectingServer.ImageRoute).Inputs);
    }

    [Fact]
    public async Task EmbedAsync_AllImagesUnreadable_SendsNoImageRequest()
    {
        await using var server = await FaultInjectingServer.StartAsync();
        using var scope = Provider(Options(server, RemoteProtocol.EmbeddingsServer));

        IReadOnlyList<EmbeddingResult> results = await scope.Provider.EmbedAsync(
            [EmbeddingInput.FromImageFile(Path.Combine(Path.GetTempPath(), $"missing-{Guid.NewGuid():N}.png"))], cancellationToken: Ct);

        Assert.False(results[0].Succeeded);
        Assert.Equal(0, server.TotalRequests);
    }
}
