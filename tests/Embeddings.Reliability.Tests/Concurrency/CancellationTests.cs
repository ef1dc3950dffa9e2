using System.Diagnostics;
using Embeddings.Local;
using Embeddings.Reliability.HostileInput;
using Embeddings.Reliability.Support;
using Embeddings.Remote;
using Embeddings.TestSupport;

namespace Embeddings.Reliability.Concurrency;

/// <summary>
/// Cancelling mid-batch releases everything: the next call succeeds at once (no slot of a one-slot provider stays
/// taken) and repeated cancellations leave native memory flat.
/// </summary>
[Collection(nameof(IsolatedCollection))]
public sealed class CancellationTests(ITestOutputHelper output)
{
    private const int Rounds = 60;

    // A following call that waits longer than this is stuck behind a slot that was never released.
    private static readonly TimeSpan s_stuck = TimeSpan.FromSeconds(20);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task EmbedAsync_LocalTextCancelledMidBatchRepeatedly_NextCallSucceedsAndMemoryStaysFlat()
    {
        using LocalOnnxProvider provider = ReliabilityModels.Create("embeddinggemma", o => o.MaxConcurrentInferences = 1);
        EmbeddingInput[] big = [.. Enumerable.Range(0, 600).Select(i => EmbeddingInput.FromText($"text {i} " + new string('w', i % 300)))];
        await RunRoundsAsync(provider, big, [EmbeddingInput.FromText("after the cancellation")], "local text");
    }

    [Fact]
    public async Task EmbedAsync_LocalImagesCancelledMidBatchRepeatedly_NextCallSucceedsAndMemoryStaysFlat()
    {
        using LocalOnnxProvider provider = ReliabilityModels.Create("siglip2", o =>
        {
            o.MaxConcurrentInferences = 1;
            o.PreprocessingParallelism = 2;
        });
        byte[][] photos = [.. HostileImages.GoodFiles.Select(HostileImages.Read)];
        EmbeddingInput[] big = [.. Enumerable.Range(0, 64).Select(i => EmbeddingInput.FromImage(photos[i % photos.Length], $"photo {i}"))];
        await RunRoundsAsync(provider, big, [EmbeddingInput.FromImage(photos[0], "after")], "local images");
    }

    [Fact]
    public async Task EmbedStreamAsync_LocalCancelledMidStreamRepeatedly_NextCallSucceeds()
    {
        using LocalOnnxProvider provider = ReliabilityModels.Create("minilm", o => o.MaxConcurrentInferences = 1);
        for (int round = 0; round < 20; round++)
        {
            using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            int seen = 0;
            await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
            {
                await foreach (EmbeddingResult result in provider.EmbedStreamAsync(Endless(), cancellationToken: cts.Token))
                {
                    Assert.True(result.Succeeded);
                    if (++seen == 50 + round)
                    {
                        await cts.CancelAsync();
                    }
                }
            });

            IReadOnlyList<EmbeddingResult> after = await provider.EmbedAsync(["after"], cancellationToken: Ct).WaitAsync(s_stuck, Ct);
            Assert.True(after[0].Succeeded);
        }
    }

    [Fact]
    public async Task EmbedAsync_RemoteCancelledWhileWaitingRepeatedly_NextCallSucceedsAndMemoryStaysFlat()
    {
        await using FaultInjectingServer server = await FaultInjectingServer.StartAsync(dimensions: 16);
        var options = new HuggingFaceProviderOptions
        {
            BaseUrl = server.BaseUrl,
            ModelId = "test-org/test-model",
            Protocol = RemoteProtocol.TextEmbeddingsInference,
            BatchSize = 2,
            MaxConcurrentRequests = 1,
            Timeout = TimeSpan.FromSeconds(30),
        };
        using HuggingFaceProvider provider = HuggingFaceProvider.Create(options);
        EmbeddingInput[] big = [.. Enumerable.Range(0, 40).Select(i => EmbeddingInput.FromText($"remote text {i}"))];

        // Every request is slow, so cancellations land while requests are in flight and others wait for the one slot.
        await RunRoundsAsync(provider, big, [EmbeddingInput.FromText("after")], "remote",
            beforeCancel: () => server.ResponseDelay = TimeSpan.FromMilliseconds(200),
            beforeNext: () => server.ResponseDelay = TimeSpan.Zero);
        Assert.Equal(RemoteCircuitState.Closed, provider.CircuitState);
    }

    private async Task RunRoundsAsync(IEmbeddingProvider provider, EmbeddingInput[] big, EmbeddingInput[] next, string what,
        Action? beforeCancel = null, Action? beforeNext = null)
    {
        var random = new Random(PropertySeed.Value);
        double slowestNext = 0;

        // Warm up: JIT, pools and allocator arenas grow once.
        for (int i = 0; i < 5; i++)
        {
            await CancelOnceAsync();
        }

        // Growth is counted from the lowest of the samples taken every ten rounds (see FallbackSoakTests).
        long before = Rss.Settled();
        var samples = new List<long> { before };
        var watch = Stopwatch.StartNew();
        int cancelled = 0, completed = 0;
        slowestNext = 0;
        for (int round = 0; round < Rounds; round++)
        {
            if (await CancelOnceAsync())
            {
                cancelled++;
            }
            else
            {
                completed++;
            }

            if (round % 10 == 9)
            {
                samples.Add(Rss.Settled());
            }
        }

        watch.Stop();
        long after = Rss.Settled();
        long lowest = samples.Min();
        output.WriteLine($"{what}: {Rounds} rounds in {watch.ElapsedMilliseconds} ms ({cancelled} cancelled mid-call, {completed} finished first), " +
            $"slowest following call {slowestNext:F0} ms; RSS before {Rss.MiB(before)}, lowest {Rss.MiB(lowest)}, after {Rss.MiB(after)}, growth from the lowest {Rss.MiB(after - lowest)}.");
        Assert.True(cancelled >= Rounds / 2, $"only {cancelled} of {Rounds} calls were cancelled mid-call");
        Assert.True(after - lowest < 32L * 1024 * 1024, $"RSS grew by {Rss.MiB(after - lowest)} over {Rounds} cancellations");

        async Task<bool> CancelOnceAsync()
        {
            beforeCancel?.Invoke();
            using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            cts.CancelAfter(TimeSpan.FromMilliseconds(random.Next(1, 40)));
            bool wasCancelled;
            try
            {
                IReadOnlyList<EmbeddingResult> results = await provider.EmbedAsync(big, cancellationToken: cts.Token);
                Assert.Equal(big.Length, results.Count);
                wasCancelled = false;
            }
            catch (OperationCanceledException)
            {
                wasCancelled = true;
            }

            beforeNext?.Invoke();
            var timer = Stopwatch.StartNew();
            IReadOnlyList<EmbeddingResult> following = await provider.EmbedAsync(next, cancellationToken: Ct).WaitAsync(s_stuck, Ct);
            slowestNext = Math.Max(slowestNext, timer.Elapsed.TotalMilliseconds);
            Assert.All(following, r => Assert.True(r.Succeeded, r.Error?.Message));
            return wasCancelled;
        }
    }

    private static async IAsyncEnumerable<EmbeddingInput> Endless()
    {
        for (int i = 0; ; i++)
        {
            await Task.Yield();
            yield return EmbeddingInput.FromText($"stream text {i}");
        }
    }
}
