using System.Diagnostics;
using Embeddings.Remote;
using Embeddings.TestSupport;
using static Embeddings.Composition.FallbackTestProviders;

namespace Embeddings.Composition;

/// <summary>The real remote provider against a loopback server that fails on command, with a fake local model behind it.</summary>
public sealed class FallbackProviderRemoteTests(ITestOutputHelper output)
{
    private static readonly string[] s_texts = ["alpha", "beta", "gamma", "delta", "epsilon"];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string, string> Faults => new()
    {
        { "500", "HttpStatus" },
        { "502", "HttpStatus" },
        { "503", "HttpStatus" },
        { "504", "HttpStatus" },
        { "429 with Retry-After", "RateLimited" },
        { "401", "Unauthorized" },
        { "403", "Unauthorized" },
        { "413", "HttpStatus" },
        { "timeout", "Timeout" },
        { "dropped connection", "Transport" },
        { "malformed JSON", "MalformedResponse" },
        { "HTML error page", "MalformedResponse" },
        { "NaN", "MalformedResponse" },
        { "too few vectors", "MalformedResponse" },
        { "wrong dimensions, configured", "MalformedResponse" },
        { "wrong dimensions, learned", "DimensionMismatch" },
    };

    [Theory]
    [MemberData(nameof(Faults))]
    public async Task EmbedAsync_RemoteFails_EveryInputGetsTheLocalVectorInOrderWithTheReason(string fault, string reason)
    {
        await using var server = await FaultInjectingServer.StartAsync(dimensions: 8);
        server.Fault = Fault(fault);
        using HttpClient client = Client();
        HuggingFaceProvider remote = RemoteProvider(client, RemoteOptions(server, o =>
        {
            // Short only where the timeout is the fault: a loaded machine must not turn the other faults into timeouts.
            o.Timeout = fault == "timeout" ? TimeSpan.FromMilliseconds(300) : TimeSpan.FromSeconds(10);
            o.MaxRetries = fault.StartsWith("429", StringComparison.Ordinal) ? 1 : 0;
            o.ExpectedDimensions = fault == "wrong dimensions, configured" ? 8 : null;
        }));
        using TestEmbeddingProvider local = LocalFake();
        using var fallback = new FallbackProvider([remote, local]);
        EmbeddingInput[] inputs = [.. s_texts.Select(t => EmbeddingInput.FromText(t))];

        IReadOnlyList<EmbeddingResult> results = await fallback.EmbedAsync(inputs, cancellationToken: Ct);

        Assert.Equal(inputs.Length, results.Count);
        for (int i = 0; i < inputs.Length; i++)
        {
            Assert.True(results[i].Succeeded, $"{fault}: input {i} failed: {results[i].Error?.Message}");
            Assert.Equal("local", results[i].ProviderName);
            Assert.Equal(VectorOf(local, inputs[i]), results[i].Vector.ToArray());
            Assert.Equal(reason, ReasonOf(results[i]));
            Assert.Equal("huggingface", FromOf(results[i]));
        }

        // None lost, none duplicated: the local model got each input exactly once, in order, in one call.
        Assert.Equal([s_texts], TextsReceived(local));
    }

    [Fact]
    public async Task EmbedAsync_SomeRemoteBatchesFail_KeepsTheRemoteVectorsAndFallsBackOnlyTheFailedInputs()
    {
        await using var server = await FaultInjectingServer.StartAsync(dimensions: 8);
        server.EnqueueFaults(ServerFault.None, ServerFault.Status(503), ServerFault.None, ServerFault.NaN);
        using HttpClient client = Client();
        HuggingFaceProvider remote = RemoteProvider(client, RemoteOptions(server, o =>
        {
            o.BatchSize = 2;
            o.MaxConcurrentRequests = 1; // batches in order, so the queued faults hit known inputs
        }));
        using TestEmbeddingProvider local = LocalFake();
        using var fallback = new FallbackProvider([remote, local]);
        string[] texts = ["t0", "t1", "t2", "t3", "t4", "t5", "t6", "t7"];

        IReadOnlyList<EmbeddingResult> results = await fallback.EmbedAsync([.. texts.Select(t => EmbeddingInput.FromText(t))], cancellationToken: Ct);

        string[] expectedServer = ["huggingface", "huggingface", "local", "local", "huggingface", "huggingface", "local", "local"];
        Assert.Equal(expectedServer, results.Select(r => r.ProviderName));
        for (int i = 0; i < texts.Length; i++)
        {
            float[] expected = expectedServer[i] == "local" ? VectorOf(local, texts[i]) : RemoteVector(texts[i]);
            RemoteTestHelpers.AssertVector(expected, results[i].Vector);
        }

        Assert.Equal([["t2", "t3", "t6", "t7"]], TextsReceived(local));
        Assert.Equal(["HttpStatus", "HttpStatus", "MalformedResponse", "MalformedResponse"], new[] { 2, 3, 6, 7 }.Select(i => ReasonOf(results[i])));
        Assert.Null(ReasonOf(results[0]));
        Assert.Equal(4, server.TotalRequests);
    }

    [Fact]
    public async Task EmbedAsync_TextOnlyRemoteAndImages_ImagesGoToLocalDirectlyAndTextsToRemote()
    {
        await using var server = await FaultInjectingServer.StartAsync(dimensions: 8);
        using HttpClient client = Client();
        HuggingFaceProvider remote = RemoteProvider(client, RemoteOptions(server)); // TEI: text only
        using TestEmbeddingProvider local = LocalFake();
        using var fallback = new FallbackProvider([remote, local]);
        byte[] image = [0x89, 0x50, 0x4E, 0x47, 1, 2, 3];

        IReadOnlyList<EmbeddingResult> results = await fallback.EmbedAsync(["a cat", EmbeddingInput.FromImage(image, "cat")], cancellationToken: Ct);

        Assert.Equal(["huggingface", "local"], results.Select(r => r.ProviderName));
        RemoteTestHelpers.AssertVector(RemoteVector("a cat"), results[0].Vector);
        Assert.Equal(VectorOf(local, EmbeddingInput.FromImage(image)), results[1].Vector.ToArray());
        Assert.Null(ReasonOf(results[1]));
        Assert.Equal(1, server.TotalRequests);
    }

    [Fact]
    public async Task EmbedAsync_CircuitOpen_LatencyMatchesLocalOnlyAndAHealthyProbeBringsTheRemoteBack()
    {
        await using var server = await FaultInjectingServer.StartAsync(dimensions: 8);
        server.Fault = ServerFault.Slow(TimeSpan.FromSeconds(30)); // every remote request would time out
        var clock = new ShiftableTimeProvider();
        using HttpClient client = Client();
        HuggingFaceProvider remote = RemoteProvider(client, BreakerOptions(server), clock);
        using TestEmbeddingProvider local = LocalFake(delay: TimeSpan.FromMilliseconds(1));
        using var fallback = new FallbackProvider([remote, local], new FallbackProviderOptions { LeaveOpen = true });
        using HuggingFaceProvider ownedRemote = remote;

        // Two timed-out calls open the circuit; each paid the 200 ms attempt timeout once.
        for (int i = 0; i < 2; i++)
        {
            Assert.Equal("Timeout", ReasonOf((await fallback.EmbedAsync(["opening"], cancellationToken: Ct))[0]));
        }

        Assert.Equal(RemoteCircuitState.Open, remote.CircuitState);
        int requestsWhenOpened = server.TotalRequests;

        // On a shared machine a preempted thread can cost either side 10 ms: a round whose p99 misses the bound is
        // measured again (at most three rounds); a fallback that waited for the remote would miss it every time.
        bool withinBound = false;
        for (int round = 1; round <= 3 && !withinBound; round++)
        {
            (double fallbackP50, double fallbackP99, double localP50, double localP99) = await MeasureAsync(fallback, local, calls: 300);
            output.WriteLine(
                $"circuit open, round {round}, 300 calls each: fallback p50 {fallbackP50:0.00} ms, p99 {fallbackP99:0.00} ms; "
                + $"local only p50 {localP50:0.00} ms, p99 {localP99:0.00} ms");
            withinBound = fallbackP99 <= localP99 + 10;
        }

        Assert.True(withinBound, "the p99 latency through the fallback exceeded local-only p99 + 10 ms in three rounds");
        Assert.Equal(requestsWhenOpened, server.TotalRequests);

        // The remote recovers; once its break has elapsed, the next call probes it and it serves again.
        server.Fault = ServerFault.None;
        clock.Advance(TimeSpan.FromSeconds(31));
        Assert.Equal(RemoteCircuitState.HalfOpen, remote.CircuitState);
        IReadOnlyList<EmbeddingResult> probe = await fallback.EmbedAsync(["probe"], cancellationToken: Ct);
        Assert.Equal("huggingface", probe[0].ProviderName);
        RemoteTestHelpers.AssertVector(RemoteVector("probe"), probe[0].Vector);
        Assert.Equal(RemoteCircuitState.Closed, remote.CircuitState);
        Assert.Equal("huggingface", (await fallback.EmbedAsync(["after"], cancellationToken: Ct))[0].ProviderName);
        Assert.Equal(requestsWhenOpened + 2, server.TotalRequests);
    }

    [Fact]
    public async Task EmbedAsync_ManyCallersWhileHalfOpen_OneProbeReachesTheRemoteAndTheOthersFallBackAtOnce()
    {
        await using var server = await FaultInjectingServer.StartAsync(dimensions: 8);
        server.Fault = ServerFault.Status(503);
        var clock = new ShiftableTimeProvider();
        using HttpClient client = Client();
        HuggingFaceProvider remote = RemoteProvider(client, BreakerOptions(server, timeoutMs: 5000), clock);
        using TestEmbeddingProvider local = LocalFake();
        using var fallback = new FallbackProvider([remote, local]);
        await fallback.EmbedAsync(["o1"], cancellationToken: Ct);
        await fallback.EmbedAsync(["o2"], cancellationToken: Ct);
        Assert.Equal(RemoteCircuitState.Open, remote.CircuitState);

        server.Fault = ServerFault.None;
        server.ResponseDelay = TimeSpan.FromMilliseconds(500); // the probe is still running while the others arrive
        clock.Advance(TimeSpan.FromSeconds(31));
        int before = server.TotalRequests;
        Task<IReadOnlyList<EmbeddingResult>> probe = fallback.EmbedAsync(["probe"], cancellationToken: Ct);
        await WaitUntilAsync(() => server.TotalRequests > before);
        IReadOnlyList<EmbeddingResult>[] others = await Task.WhenAll(
            Enumerable.Range(0, 8).Select(i => fallback.EmbedAsync([$"other {i}"], cancellationToken: Ct)));

        Assert.Equal("huggingface", (await probe)[0].ProviderName);
        Assert.All(others, r => Assert.Equal("local", r[0].ProviderName));
        Assert.All(others, r => Assert.Equal("CircuitOpen", ReasonOf(r[0])));
        Assert.Equal(before + 1, server.TotalRequests);
        Assert.Equal(RemoteCircuitState.Closed, remote.CircuitState);
    }

    [Fact]
    public async Task EmbedAsync_CancelledWhileTheRemoteIsSlow_PropagatesPromptlyAndNeverCallsLocal()
    {
        await using var server = await FaultInjectingServer.StartAsync(dimensions: 8);
        server.Fault = ServerFault.Slow(TimeSpan.FromSeconds(30));
        using HttpClient client = Client();
        HuggingFaceProvider remote = RemoteProvider(client, RemoteOptions(server, o => o.Timeout = TimeSpan.FromSeconds(20)));
        using TestEmbeddingProvider local = LocalFake();
        using var fallback = new FallbackProvider([remote, local]);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        cts.CancelAfter(TimeSpan.FromMilliseconds(200));
        var watch = Stopwatch.StartNew();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => fallback.EmbedAsync(["a", "b"], cancellationToken: cts.Token));

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");
        Assert.Equal(0, local.Calls);
        Assert.Equal(RemoteCircuitState.Closed, remote.CircuitState);
    }

    private static HuggingFaceProviderOptions BreakerOptions(FaultInjectingServer server, int timeoutMs = 200) =>
        RemoteOptions(server, o =>
        {
            o.Timeout = TimeSpan.FromMilliseconds(timeoutMs);
            o.CircuitBreaker.Enabled = true;
            o.CircuitBreaker.MinimumThroughput = 2;
            o.CircuitBreaker.FailureRatio = 1.0;
            o.CircuitBreaker.SamplingDuration = TimeSpan.FromSeconds(60);
            o.CircuitBreaker.BreakDuration = TimeSpan.FromSeconds(30);
        });

    private static ServerFault Fault(string name) => name switch
    {
        "429 with Retry-After" => ServerFault.RateLimited("1"),
        "timeout" => ServerFault.Slow(TimeSpan.FromSeconds(30)),
        "dropped connection" => ServerFault.DropConnection,
        "malformed JSON" => ServerFault.MalformedJson,
        "HTML error page" => ServerFault.Html,
        "NaN" => ServerFault.NaN,
        "too few vectors" => ServerFault.WrongCount,
        "wrong dimensions, configured" or "wrong dimensions, learned" => ServerFault.WrongDimensions,
        _ => ServerFault.Status(int.Parse(name, System.Globalization.CultureInfo.InvariantCulture)),
    };

    /// <summary>Times alternating calls through the fallback and straight to local (after 20 unmeasured pairs).</summary>
    private static async Task<(double FallbackP50, double FallbackP99, double LocalP50, double LocalP99)> MeasureAsync(
        IEmbeddingProvider fallback, IEmbeddingProvider local, int calls)
    {
        var viaFallback = new List<double>(calls);
        var localOnly = new List<double>(calls);
        for (int i = -20; i < calls; i++)
        {
            EmbeddingInput[] inputs = [$"query {i}"];
            double a = await TimeAsync(fallback, inputs);
            double b = await TimeAsync(local, inputs);
            if (i >= 0)
            {
                viaFallback.Add(a);
                localOnly.Add(b);
            }
        }

        (double fallbackP50, double fallbackP99) = Percentiles(viaFallback);
        (double localP50, double localP99) = Percentiles(localOnly);
        return (fallbackP50, fallbackP99, localP50, localP99);
    }

    private static async Task<double> TimeAsync(IEmbeddingProvider provider, EmbeddingInput[] inputs)
    {
        long started = Stopwatch.GetTimestamp();
        IReadOnlyList<EmbeddingResult> results = await provider.EmbedAsync(inputs, cancellationToken: Ct);
        double ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        Assert.Equal("local", results[0].ProviderName);
        return ms;
    }

    private static (double P50, double P99) Percentiles(List<double> values)
    {
        double[] sorted = [.. values.Order()];
        return (sorted[(int)(sorted.Length * 0.50)], sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(sorted.Length * 0.99) - 1)]);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), "timed out waiting");
            await Task.Delay(5, Ct);
        }
    }
}
