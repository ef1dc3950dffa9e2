using System.Diagnostics;
using Embeddings.TestSupport;
using static Embeddings.Remote.RemoteTestHelpers;

namespace Embeddings.Remote;

public sealed class HuggingFaceProviderCircuitBreakerTests
{
    private static readonly TimeSpan s_breakDuration = TimeSpan.FromMilliseconds(500); // Polly's minimum

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static HuggingFaceProviderOptions BreakerOptions(FaultInjectingServer server, int minimumThroughput = 3, int maxRetries = 0) =>
        Options(server, configure: o =>
        {
            o.MaxRetries = maxRetries;
            o.CircuitBreaker.Enabled = true;
            o.CircuitBreaker.MinimumThroughput = minimumThroughput;
            o.CircuitBreaker.FailureRatio = 1.0;
            o.CircuitBreaker.SamplingDuration = TimeSpan.FromSeconds(30);
            o.CircuitBreaker.BreakDuration = s_breakDuration;
        });

    [Fact]
    public async Task Circuit_OpensAfterTheConfiguredFailures_ThenFailsFastWithoutRequests()
    {
        await using var server = await FaultInjectingServer.StartAsync();
        server.Fault = ServerFault.Status(503);
        using var scope = Provider(BreakerOptions(server, minimumThroughput: 3));
        Assert.Equal(RemoteCircuitState.Closed, scope.Provider.CircuitState);

        for (int i = 0; i < 3; i++)
        {
            AssertRemoteFailure(await scope.Provider.EmbedAsync(["a"], cancellationToken: Ct), RemoteFailureKind.HttpStatus);
        }

        Assert.Equal(RemoteCircuitState.Open, scope.Provider.CircuitState);
        Assert.Equal(RemoteCircuitState.Open, ((IEmbeddingProvider)scope.Provider).GetService(typeof(RemoteCircuitState)));
        Assert.Equal(3, server.TotalRequests);

        // Were a request sent now, it would wait out the 5 s attempt timeout.
        server.Fault = ServerFault.Slow(TimeSpan.FromSeconds(10));
        var watch = Stopwatch.StartNew();
        IReadOnlyList<EmbeddingResult> results = await scope.Provider.EmbedAsync(["b", "c"], cancellationToken: Ct);
        TimeSpan elapsed = watch.Elapsed;

        RemoteEmbeddingException error = AssertRemoteFailure(results, RemoteFailureKind.CircuitOpen);
        Assert.True(error.IsTransient);
        Assert.Equal(0, error.Attempts);
        Assert.Contains("circuit open", error.Message, StringComparison.Ordinal);
        Assert.Equal(3, server.TotalRequests);
        Assert.True(elapsed < TimeSpan.FromSeconds(1), $"took {elapsed}");
    }

    [Fact]
    public async Task Circuit_OpensDuringRetries_StopsRetryingAtOnce()
    {
        await using var server = await FaultInjectingServer.StartAsync();
        server.Fault = ServerFault.Status(500);
        using var scope = Provider(BreakerOptions(server, minimumThroughput: 2, maxRetries: 5));

        IReadOnlyList<EmbeddingResult> results = await scope.Provider.EmbedAsync(["a"], cancellationToken: Ct);

        // Two attempts open the circuit; the third is refused by it rather than sent.
        RemoteEmbeddingException error = AssertRemoteFailure(results, RemoteFailureKind.CircuitOpen);
        Assert.Equal(2, error.Attempts);
        Assert.Equal(2, server.TotalRequests);
    }

    [Fact]
    public async Task Circuit_AfterTheBreak_ReportsHalfOpenAndAHealthyProbeClosesIt()
    {
        await using var server = await FaultInjectingServer.StartAsync(dimensions: 8);
        server.Fault = ServerFault.Status(502);
        using var scope = Provider(BreakerOptions(server, minimumThroughput: 2));
        await scope.Provider.EmbedAsync(["a"], cancellationToken: Ct);
        await scope.Provider.EmbedAsync(["a"], cancellationToken: Ct);
        Assert.Equal(RemoteCircuitState.Open, scope.Provider.CircuitState);

        await Task.Delay(s_breakDuration + TimeSpan.FromMilliseconds(100), Ct);
        Assert.Equal(RemoteCircuitState.HalfOpen, scope.Provider.CircuitState);
        server.Fault = ServerFault.None;

        IReadOnlyList<EmbeddingResult> probe = await scope.Provider.EmbedAsync(["probe"], cancellationToken: Ct);

        Assert.True(probe[0].Succeeded, probe[0].Error?.Message);
        Assert.Equal(RemoteCircuitState.Closed, scope.Provider.CircuitState);
        Assert.Equal(3, server.TotalRequests);
        Assert.True((await scope.Provider.EmbedAsync(["after"], cancellationToken: Ct))[0].Succeeded);
    }

    [Fact]
    public async Task Circuit_FailedProbe_OpensItAgain()
    {
        await using var server = await FaultInjectingServer.StartAsync();
        server.Fault = ServerFault.DropConnection;
        using var scope = Provider(BreakerOptions(server, minimumThroughput: 2));
        await scope.Provider.EmbedAsync(["a"], cancellationToken: Ct);
        await scope.Provider.EmbedAsync(["a"], cancellationToken: Ct);
        await Task.Delay(s_breakDuration + TimeSpan.FromMilliseconds(100), Ct);

        AssertRemoteFailure(await scope.Provider.EmbedAsync(["probe"], cancellationToken: Ct), RemoteFailureKind.Transport);

        Assert.Equal(RemoteCircuitState.Open, scope.Provider.CircuitState);
        AssertRemoteFailure(await scope.Provider.EmbedAsync(["refused"], cancellationToken: Ct), RemoteFailureKind.CircuitOpen);
        Assert.Equal(3, server.TotalRequests);
    }

    [Fact]
    public async Task Circuit_InjectedClock_GovernsTheDefaultBreakDuration()
    {
        await using var server = await FaultInjectingServer.StartAsync();
        server.Fault = ServerFault.Status(500);
        var clock = new ShiftableTimeProvider();
        HuggingFaceProviderOptions options = Options(server, configure: o => o.MaxRetries = 0); // default breaker: 4 attempts, 50 %, 30 s
        options.CircuitBreaker = new RemoteCircuitBreakerOptions();
        using var client = new HttpClient();
        using var provider = new HuggingFaceProvider(client, options, timeProvider: clock);
        for (int i = 0; i < 4; i++)
        {
            await provider.EmbedAsync(["a"], cancellationToken: Ct);
        }

        Assert.Equal(RemoteCircuitState.Open, provider.CircuitState);
        clock.Advance(TimeSpan.FromSeconds(29));
        Assert.Equal(RemoteCircuitState.Open, provider.CircuitState);
        AssertRemoteFailure(await provider.EmbedAsync(["a"], cancellationToken: Ct), RemoteFailureKind.CircuitOpen);

        clock.Advance(TimeSpan.FromSeconds(2));
        server.Fault = ServerFault.None;
        Assert.Equal(RemoteCircuitState.HalfOpen, provider.CircuitState);
        Assert.True((await provider.EmbedAsync(["probe"], cancellationToken: Ct))[0].Succeeded);
        Assert.Equal(RemoteCircuitState.Closed, provider.CircuitState);
        Assert.Equal(5, server.TotalRequests);
    }

    [Fact]
    public async Task Circuit_ClientErrors_DoNotOpenIt()
    {
        await using var server = await FaultInjectingServer.StartAsync();
        server.Fault = ServerFault.Status(422);
        using var scope = Provider(BreakerOptions(server, minimumThroughput: 2));

        for (int i = 0; i < 5; i++)
        {
            AssertRemoteFailure(await scope.Provider.EmbedAsync(["a"], cancellationToken: Ct), RemoteFailureKind.HttpStatus);
        }

        Assert.Equal(RemoteCircuitState.Closed, scope.Provider.CircuitState);
        Assert.Equal(5, server.TotalRequests);
    }

    [Fact]
    public async Task Circuit_MalformedResponses_OpenIt()
    {
        await using var server = await FaultInjectingServer.StartAsync();
        server.Fault = ServerFault.NaN;
        using var scope = Provider(BreakerOptions(server, minimumThroughput: 2));

        await scope.Provider.EmbedAsync(["a"], cancellationToken: Ct);
        await scope.Provider.EmbedAsync(["a"], cancellationToken: Ct);

        Assert.Equal(RemoteCircuitState.Open, scope.Provider.CircuitState);
    }

    [Fact]
    public async Task Circuit_CancelledCalls_NeverCountAsFailures()
    {
        await using var server = await FaultInjectingServer.StartAsync();
        server.Fault = ServerFault.Slow(TimeSpan.FromSeconds(10));
        using var scope = Provider(BreakerOptions(server, minimumThroughput: 2));

        for (int i = 0; i < 4; i++)
        {
            using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            cts.CancelAfter(TimeSpan.FromMilliseconds(50));
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => scope.Provider.EmbedAsync(["a"], cancellationToken: cts.Token));
        }

        Assert.Equal(RemoteCircuitState.Closed, scope.Provider.CircuitState);
    }

    [Fact]
    public async Task Circuit_Disabled_NeverOpens()
    {
        await using var server = await FaultInjectingServer.StartAsync();
        server.Fault = ServerFault.Status(500);
        using var scope = Provider(Options(server, configure: o => o.MaxRetries = 0));

        for (int i = 0; i < 6; i++)
        {
            await scope.Provider.EmbedAsync(["a"], cancellationToken: Ct);
        }

        Assert.Equal(RemoteCircuitState.Closed, scope.Provider.CircuitState);
        Assert.Equal(6, server.TotalRequests);
    }
}
