using Embeddings.AspNetCore.TestSupport;
using Embeddings.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace Embeddings.AspNetCore;

/// <summary>The batcher alone, without HTTP: merging rules, limits, failures, stopping.</summary>
public sealed class DynamicBatcherTests
{
    private static readonly BatchKey s_query = new("query", null, null);
    private static readonly BatchKey s_document = new("document", null, null);

    [Fact]
    public async Task TryEnqueue_WhileTheCallSlotIsBusy_MergesSameOptionsInOrderAndKeepsOthersApart()
    {
        using var gate = new SemaphoreSlim(0);
        TestEmbeddingProvider provider = Blocking(gate);
        DynamicBatcher batcher = Create(provider, o => o.MaxConcurrentBatches = 1);

        Task<IReadOnlyList<EmbeddingResult>> a = Enqueue(batcher, s_query, "a");
        await ProviderCalls.WaitForAsync(provider);
        Task<IReadOnlyList<EmbeddingResult>> b = Enqueue(batcher, s_query, "b1", "b2");
        Task<IReadOnlyList<EmbeddingResult>> d = Enqueue(batcher, s_document, "d");
        Task<IReadOnlyList<EmbeddingResult>> c = Enqueue(batcher, s_query, "c");
        gate.Release(3);
        await Task.WhenAll(a, b, c, d);

        Assert.Equal(3, provider.Calls);
        Assert.Equal(["b1", "b2", "c"], provider.Batches[1].Select(i => i.Text));
        Assert.Equal(["d"], provider.Batches[2].Select(i => i.Text));
        Assert.Equal([ServedFakes.Text("b1", "query"), ServedFakes.Text("b2", "query")], (await b).Select(r => r.Vector.ToArray()));
        Assert.Equal(ServedFakes.Text("c", "query"), Assert.Single(await c).Vector.ToArray());
        Assert.Equal(ServedFakes.Text("d", "document"), Assert.Single(await d).Vector.ToArray());
        batcher.Stop();
    }

    [Fact]
    public async Task TryEnqueue_MoreThanMaxBatchSize_SplitsBetweenRequests()
    {
        using var gate = new SemaphoreSlim(0);
        TestEmbeddingProvider provider = Blocking(gate);
        DynamicBatcher batcher = Create(provider, o => (o.MaxConcurrentBatches, o.MaxBatchSize) = (1, 2));

        Task first = Enqueue(batcher, s_query, "blocker");
        await ProviderCalls.WaitForAsync(provider);
        Task[] rest = [.. Enumerable.Range(0, 5).Select(i => Enqueue(batcher, s_query, $"t{i}"))];
        Task big = Enqueue(batcher, s_query, "x", "y", "z");
        gate.Release(10);
        await Task.WhenAll([first, big, .. rest]);

        // A request is never split; one larger than the batch size goes alone.
        Assert.Equal([1, 2, 2, 1, 3], provider.Batches.Select(b => b.Count));
        batcher.Stop();
    }

    [Fact]
    public async Task Dispatch_WhileAnotherRequestIsArriving_WaitsForIt()
    {
        TestEmbeddingProvider provider = ServedFakes.Provider();
        var arrivals = new ArrivalTracker();
        DynamicBatcher batcher = Create(provider, o => o.MaxBatchDelay = TimeSpan.FromSeconds(5), arrivals);

        ArrivalScope second = arrivals.Begin();
        Task<IReadOnlyList<EmbeddingResult>> a = EnqueueArriving(batcher, arrivals, s_query, "a");
        await Task.Delay(100, TestContext.Current.CancellationToken);
        Assert.Equal(0, provider.Calls);
        Task<IReadOnlyList<EmbeddingResult>> b = Enqueue(batcher, s_query, "b");
        second.Dispose();
        await Task.WhenAll(a, b);

        Assert.Equal(["a", "b"], Assert.Single(provider.Batches).Select(i => i.Text));
        batcher.Stop();
    }

    [Fact]
    public async Task Dispatch_ArrivalTakesLongerThanMaxBatchDelay_GoesWithoutIt()
    {
        TestEmbeddingProvider provider = ServedFakes.Provider();
        var arrivals = new ArrivalTracker();
        DynamicBatcher batcher = Create(provider, o => o.MaxBatchDelay = TimeSpan.FromMilliseconds(30), arrivals);

        using ArrivalScope slowClient = arrivals.Begin();
        IReadOnlyList<EmbeddingResult> results = await EnqueueArriving(batcher, arrivals, s_query, "a").WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);

        Assert.Single(results);
        Assert.Equal(1, provider.Calls);
        batcher.Stop();
    }

    [Fact]
    public async Task TryEnqueue_Idle_CallsTheProviderWithoutQueueing()
    {
        TestEmbeddingProvider provider = ServedFakes.Provider();
        var arrivals = new ArrivalTracker();
        DynamicBatcher batcher = Create(provider, o => o.MaxBatchDelay = TimeSpan.FromSeconds(5), arrivals);
        var caller = new AsyncLocal<bool>();
        bool onCallersFlow = false;
        provider.OnCall = (_, _) =>
        {
            onCallersFlow = caller.Value;
            return Task.CompletedTask;
        };

        // The dispatcher's flow never had the value: only a call made from this flow sees it.
        caller.Value = true;
        IReadOnlyList<EmbeddingResult> results = await EnqueueArriving(batcher, arrivals, s_query, "alone");

        Assert.Equal(ServedFakes.Text("alone", "query"), Assert.Single(results).Vector.ToArray());
        Assert.True(onCallersFlow);
        batcher.Stop();
    }

    [Fact]
    public async Task TryEnqueue_AlreadyCancelled_NeverReachesTheProvider()
    {
        TestEmbeddingProvider provider = ServedFakes.Provider();
        DynamicBatcher batcher = Create(provider, _ => { });
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        EnqueueStatus status = batcher.TryEnqueue([EmbeddingInput.FromText("x")], s_query, cancelled.Token, out Task<IReadOnlyList<EmbeddingResult>> completion);

        Assert.Equal(EnqueueStatus.Queued, status);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => completion);
        Assert.Equal(0, batcher.QueuedInputs);
        Assert.Equal(0, provider.Calls);
        batcher.Stop();
    }

    [Fact]
    public async Task Call_ProviderReturnsTooFewResults_FailsEveryRequestOfTheCall()
    {
        TestEmbeddingProvider provider = ServedFakes.Provider();
        var broken = new BrokenProvider(provider);
        DynamicBatcher batcher = Create(broken, o => o.MaxConcurrentBatches = 1);

        Task<IReadOnlyList<EmbeddingResult>> a = Enqueue(batcher, s_query, "a", "b");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => a);
        Assert.Contains("1 results for 2 inputs", error.Message, StringComparison.Ordinal);
        batcher.Stop();
    }

    [Fact]
    public async Task Stop_QueuedWork_FailsWithServerStopping_AndNewWorkIsRefused()
    {
        using var gate = new SemaphoreSlim(0);
        TestEmbeddingProvider provider = Blocking(gate);
        DynamicBatcher batcher = Create(provider, o => o.MaxConcurrentBatches = 1);
        Task running = Enqueue(batcher, s_query, "running");
        await ProviderCalls.WaitForAsync(provider);
        Task<IReadOnlyList<EmbeddingResult>> queued = Enqueue(batcher, s_query, "queued");

        int dropped = batcher.Stop();

        Assert.Equal(1, dropped);
        await Assert.ThrowsAsync<ServerStoppingException>(() => queued);
        await Assert.ThrowsAsync<ServerStoppingException>(() => running);
        Assert.Equal(EnqueueStatus.Stopped, batcher.TryEnqueue([EmbeddingInput.FromText("late")], s_query, TestContext.Current.CancellationToken, out _));
        await batcher.Dispatcher.WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task TryEnqueue_QueueFull_RefusesAndEstimatesRetryAfter()
    {
        using var gate = new SemaphoreSlim(0);
        TestEmbeddingProvider provider = Blocking(gate);
        DynamicBatcher batcher = Create(provider, o => (o.MaxConcurrentBatches, o.MaxQueuedInputs, o.MaxInputsPerRequest) = (1, 30, 30));
        Task running = Enqueue(batcher, s_query, "running");
        await ProviderCalls.WaitForAsync(provider);
        Task queued = Enqueue(batcher, s_query, [.. Enumerable.Range(0, 25).Select(i => $"q{i}")]);

        EnqueueStatus status = batcher.TryEnqueue([.. Enumerable.Range(0, 6).Select(i => EmbeddingInput.FromText($"r{i}"))], s_query, TestContext.Current.CancellationToken, out _);

        Assert.Equal(EnqueueStatus.QueueFull, status);
        Assert.Equal(25, batcher.QueuedInputs);

        // No call has finished yet, so the estimate assumes 0.1 s per input: 25 queued inputs on one call slot is
        // 2.5 s, rounded up (the clamp to 1..60 s alone would make any estimate pass).
        Assert.Equal(3, batcher.EstimateRetryAfterSeconds());
        gate.Release(2);
        await Task.WhenAll(running, queued);
        batcher.Stop();
    }

    private static DynamicBatcher Create(IEmbeddingProvider provider, Action<EmbeddingsEndpointOptions> configure, ArrivalTracker? arrivals = null)
    {
        var options = new EmbeddingsEndpointOptions();
        configure(options);
        return new DynamicBatcher(provider, "text", options, arrivals ?? new ArrivalTracker(), TimeProvider.System, new ServerMetrics(null), NullLogger.Instance);
    }

    private static TestEmbeddingProvider Blocking(SemaphoreSlim gate)
    {
        TestEmbeddingProvider provider = ServedFakes.Provider();
        provider.OnCall = (_, ct) => gate.WaitAsync(ct);
        return provider;
    }

    private static Task<IReadOnlyList<EmbeddingResult>> Enqueue(DynamicBatcher batcher, BatchKey key, params string[] texts)
    {
        Assert.Equal(EnqueueStatus.Queued, batcher.TryEnqueue([.. texts.Select(t => EmbeddingInput.FromText(t))], key, TestContext.Current.CancellationToken, out Task<IReadOnlyList<EmbeddingResult>> completion));
        return completion;
    }

    /// <summary>Queues as the server does: while the request's own arrival is still counted.</summary>
    private static Task<IReadOnlyList<EmbeddingResult>> EnqueueArriving(DynamicBatcher batcher, ArrivalTracker arrivals, BatchKey key, string text)
    {
        using ArrivalScope own = arrivals.Begin();
        return Enqueue(batcher, key, text);
    }

    /// <summary>A provider that breaks its contract: one result fewer than inputs.</summary>
    private sealed class BrokenProvider(IEmbeddingProvider inner) : IEmbeddingProvider
    {
        public EmbeddingProviderMetadata Metadata => inner.Metadata;

        public async Task<IReadOnlyList<EmbeddingResult>> EmbedAsync(
            IReadOnlyList<EmbeddingInput> inputs, EmbeddingRequestOptions? options = null, CancellationToken cancellationToken = default) =>
            [.. (await inner.EmbedAsync(inputs, options, cancellationToken)).Skip(1)];

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
