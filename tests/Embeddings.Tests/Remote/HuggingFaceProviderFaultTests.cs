using System.Diagnostics;
using Embeddings.TestSupport;
using static Embeddings.Remote.RemoteTestHelpers;

namespace Embeddings.Remote;

/// <summary>Every fault the test server can inject: the attempts made (counted by the server), the time taken
/// (bounded) and the outcome.</summary>
public sealed class HuggingFaceProviderFaultTests
{
    // Generous upper bounds: the suite runs on 2 busy cores; the lower bounds are what prove the behaviour.
    private static readonly TimeSpan s_fast = TimeSpan.FromSeconds(3);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(503)]
    [InlineData(504)]
    [InlineData(408)]
    public async Task EmbedAsync_TransientStatus_RetriesMaxRetriesTimesThenFails(int status)
    {
        await using var server = await FaultInjectingServer.StartAsync();
        server.Fault = ServerFault.Status(status);
        using var scope = Provider(Options(server));

        (IReadOnlyList<EmbeddingResult> results, TimeSpan elapsed) = await TimedAsync(scope.Provider, ["a", "b"]);

        RemoteEmbeddingException error = AssertRemoteFailure(results, RemoteFailureKind.HttpStatus);
        Assert.Equal(status, error.StatusCode);
        Assert.Equal(4, error.Attempts);
        Assert.True(error.IsTransient);
        Assert.Equal(4, server.TotalRequests);
        Assert.True(elapsed < s_fast, $"took {elapsed}");
        Assert.Contains($"HTTP {status}", error.Message, StringComparison.Ordinal);
        Assert.Contains("after 4 attempts", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EmbedAsync_TransientStatusThenHealthy_SucceedsOnTheRetry()
    {
        await using var server = await FaultInjectingServer.StartAsync(dimensions: 8);
        server.EnqueueFaults(ServerFault.Status(503), ServerFault.Status(502));
        using var scope = Provider(Options(server));

        (IReadOnlyList<EmbeddingResult> results, TimeSpan elapsed) = await TimedAsync(scope.Provider, ["a"]);

        Assert.True(results[0].Succeeded, results[0].Error?.Message);
        AssertVector(FakeEmbedding.Normalized(FakeEmbedding.ForText("a", 8)), results[0].Vector);
        Assert.Equal(3, server.TotalRequests);
        Assert.True(elapsed < s_fast, $"took {elapsed}");
    }

    [Theory]
    [InlineData(400, RemoteFailureKind.HttpStatus)]
    [InlineData(401, RemoteFailureKind.Unauthorized)]
    [InlineData(403, RemoteFailureKind.Unauthorized)]
    [InlineData(404, RemoteFailureKind.HttpStatus)]
    [InlineData(410, RemoteFailureKind.HttpStatus)]
    [InlineData(413, RemoteFailureKind.HttpStatus)]
    [InlineData(422, RemoteFailureKind.HttpStatus)]
    public async Task EmbedAsync_ClientErrorStatus_FailsAtOnceWithoutRetry(int status, RemoteFailureKind kind)
    {
        await using var server = await FaultInjectingServer.StartAsync();
        server.Fault = ServerFault.Status(status);
        using var scope = Provider(Options(server));

        (IReadOnlyList<EmbeddingResult> results, TimeSpan elapsed) = await TimedAsync(scope.Provider, ["a"]);

        RemoteEmbeddingException error = AssertRemoteFailure(results, kind);
        Assert.Equal(status, error.StatusCode);
        Assert.Equal(1, error.Attempts);
        Assert.False(error.IsTransient);
        Assert.Equal(1, server.TotalRequests);
        Assert.True(elapsed < s_fast, $"took {elapsed}");
    }

    [Fact]
    public async Task EmbedAsync_ErrorBody_IsInTheMessageWithEchoedInputRedacted()
    {
        await using var server = await FaultInjectingServer.StartAsync();
        const string Text = "my private medical question";
        server.Fault = ServerFault.Status(422, $$"""{"error":"`inputs` must have less than 512 tokens. Given: 600 for '{{Text}}'","error_type":"Validation"}""");
        using var scope = Provider(Options(server));

        (IReadOnlyList<EmbeddingResult> results, _) = await TimedAsync(scope.Provider, [Text]);

        RemoteEmbeddingException error = AssertRemoteFailure(results, RemoteFailureKind.HttpStatus);
        Assert.Contains("must have less than 512 tokens", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Text, error.Message, StringComparison.Ordinal);
        Assert.Contains("[input]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EmbedAsync_RateLimitedWithRetryAfterSeconds_WaitsAsAskedThenSucceeds()
    {
        await using var server = await FaultInjectingServer.StartAsync();
        server.EnqueueFaults(ServerFault.RateLimited("1"));
        using var scope = Provider(Options(server, configure: o => o.MaxRetryDelay = TimeSpan.FromSeconds(5)));

        (IReadOnlyList<EmbeddingResult> results, TimeSpan elapsed) = await TimedAsync(scope.Provider, ["a"]);

        Assert.True(results[0].Succeeded, results[0].Error?.Message);
        Assert.Equal(2, server.TotalRequests);

        // The backoff alone would wait about 10 ms; the server asked for 1 s.
        Assert.True(elapsed >= TimeSpan.FromMilliseconds(950), $"took {elapsed}");
        Assert.True(elapsed < s_fast, $"took {elapsed}");
    }

    [Fact]
    public async Task EmbedAsync_RateLimitedWithStructuredRateLimitHeader_WaitsAsAsked()
    {
        await using var server = await FaultInjectingServer.StartAsync();
        server.EnqueueFaults(ServerFault.Status(429, null, ("RateLimit", "\"api\";r=0;t=1"), ("RateLimit-Policy", "\"fixed window\";\"api\";q=500;w=300")));
        using var scope = Provider(Options(server, configure: o => o.MaxRetryDelay = TimeSpan.FromSeconds(5)));

        (IReadOnlyList<EmbeddingResult> results, TimeSpan elapsed) = await TimedAsync(scope.Provider, ["a"]);

        Assert.True(results[0].Succeeded, results[0].Error?.Message);
        Assert.Equal(2, server.TotalRequests);
        Assert.True(elapsed >= TimeSpan.FromMilliseconds(950), $"took {elapsed}");
    }

    [Fact]
    public async Task EmbedAsync_RateLimitedBeyondMaxRetryDelay_WaitsOnlyTheCapThenFails()
    {
        await using var server = await FaultInjectingServer.StartAsync();
        server.Fault = ServerFault.RateLimited("30");
        using var scope = Provider(Options(server, configure: o =>
        {
            o.MaxRetries = 2;
            o.MaxRetryDelay = TimeSpan.FromMilliseconds(150);
        }));

        (IReadOnlyList<EmbeddingResult> results, TimeSpan elapsed) = await TimedAsync(scope.Provider, ["a"]);

        RemoteEmbeddingException error = AssertRemoteFailure(results, RemoteFailureKind.RateLimited);
        Assert.Equal(429, error.StatusCode);
        Assert.Equal(3, error.Attempts);
        Assert.True(error.IsTransient);
        Assert.Equal(3, server.TotalRequests);
        Assert.True(elapsed >= TimeSpan.FromMilliseconds(280), $"took {elapsed}");
        Assert.True(elapsed < s_fast, $"took {elapsed}");
    }

    [Fact]
    public async Task EmbedAsync_SlowerThanTheTimeout_TimesOutEachAttempt()
    {
        await using var server = await FaultInjectingServer.StartAsync();
        server.Fault = ServerFault.Slow(TimeSpan.FromSeconds(10));
        using var scope = Provider(Options(server, configure: o =>
        {
            o.Timeout = TimeSpan.FromMilliseconds(200);
            o.MaxRetries = 2;
        }));

        (IReadOnlyList<EmbeddingResult> results, TimeSpan elapsed) = await TimedAsync(scope.Provider, ["a"]);

        RemoteEmbeddingException error = AssertRemoteFailure(results, RemoteFailureKind.Timeout);
        Assert.Equal(3, error.Attempts);
        Assert.True(error.IsTransient);
        Assert.Null(error.StatusCode);
        Assert.Equal(3, server.TotalRequests);
        Assert.True(elapsed >= TimeSpan.FromMilliseconds(600), $"took {elapsed}");
        Assert.True(elapsed < s_fast, $"took {elapsed}");
    }

    [Fact]
    public async Task EmbedAsync_SlowOnce_SucceedsOnTheRetry()
    {
        await using var server = await FaultInjectingServer.StartAsync(dimensions: 8);
        server.EnqueueFaults(ServerFault.Slow(TimeSpan.FromSeconds(10)));
        using var scope = Provider(Options(server, configure: o => o.Timeout = TimeSpan.FromSeconds(1)));

        (IReadOnlyList<EmbeddingResult> results, TimeSpan elapsed) = await TimedAsync(scope.Provider, ["a"]);

        Assert.True(results[0].Succeeded, results[0].Error?.Message);
        Assert.Equal(2, server.TotalRequests);
        Assert.True(elapsed >= TimeSpan.FromSeconds(1), $"took {elapsed}");
        Assert.True(elapsed < s_fast + TimeSpan.FromSeconds(1), $"took {elapsed}");
    }

    [Fact]
    public async Task EmbedAsync_TotalTimeout_BoundsAllAttempts()
    {
        await using var server = await FaultInjectingServer.StartAsync();
        server.Fault = ServerFault.Slow(TimeSpan.FromSeconds(10));
        using var scope = Provider(Options(server, configure: o =>
        {
            o.Timeout = TimeSpan.FromMilliseconds(300);
            o.MaxRetries = 10;
            o.TotalTimeout = TimeSpan.FromMilliseconds(500);
        }));

        (IReadOnlyList<EmbeddingResult> results, TimeSpan elapsed) = await TimedAsync(scope.Provider, ["a"]);

        RemoteEmbeddingException error = AssertRemoteFailure(results, RemoteFailureKind.Timeout);
        Assert.Contains("total timeout", error.Message, StringComparison.Ordinal);
        Assert.InRange(server.TotalRequests, 1, 3);
        Assert.True(elapsed >= TimeSpan.FromMilliseconds(450), $"took {elapsed}");
        Assert.True(elapsed < s_fast, $"took {elapsed}");
    }

    [Fact]
    public async Task EmbedAsync_ConnectionDropped_RetriesThenFailsAsTransport()
    {
        await using var server = await FaultInjectingServer.StartAsync();
        server.Fault = ServerFault.DropConnection;
        using var scope = Provider(Options(server));

        (IReadOnlyList<EmbeddingResult> results, TimeSpan elapsed) = await TimedAsync(scope.Provider, ["a"]);

        RemoteEmbeddingException error = AssertRemoteFailure(results, RemoteFailureKind.Transport);
        Assert.Equal(4, error.Attempts);
        Assert.True(error.IsTransient);
        Assert.Equal(4, server.TotalRequests);
        Assert.True(elapsed < s_fast, $"took {elapsed}");
    }

    [Fact]
    public async Task EmbedAsync_ConnectionDroppedOnce_SucceedsOnTheRetry()
    {
        await using var server = await FaultInjectingServer.StartAsync();
        server.EnqueueFaults(ServerFault.DropConnection);
        using var scope = Provider(Options(server));

        (IReadOnlyList<EmbeddingResult> results, _) = await TimedAsync(scope.Provider, ["a"]);

        Assert.True(results[0].Succeeded, results[0].Error?.Message);
        Assert.Equal(2, server.TotalRequests);
    }

    [Fact]
    public async Task EmbedAsync_ConnectionRefused_RetriesThenFailsAsTransport()
    {
        Uri closed;
        await using (var server = await FaultInjectingServer.StartAsync())
        {
            closed = server.BaseUrl;
        }

        var options = new HuggingFaceProviderOptions
        {
            BaseUrl = closed,
            ModelId = ModelId,
            Protocol = RemoteProtocol.TextEmbeddingsInference,
            RetryDelay = TimeSpan.FromMilliseconds(10),
            MaxRetryDelay = TimeSpan.FromMilliseconds(50),
        };
        options.CircuitBreaker.Enabled = false;
        using var scope = Provider(options);

        (IReadOnlyList<EmbeddingResult> results, TimeSpan elapsed) = await TimedAsync(scope.Provider, ["a"]);

        RemoteEmbeddingException error = AssertRemoteFailure(results, RemoteFailureKind.Transport);
        Assert.Equal(4, error.Attempts);
        Assert.Contains("could not be reached", error.Message, StringComparison.Ordinal);
        Assert.IsType<HttpRequestException>(error.InnerException);
        Assert.True(elapsed < s_fast, $"took {elapsed}");
    }

    [Theory]
    [InlineData(nameof(ServerFaultKind.MalformedJson), "not valid JSON")]
    [InlineData(nameof(ServerFaultKind.NaN), "non-finite")]
    [InlineData(nameof(ServerFaultKind.Overflow), "non-finite")]
    [InlineData(nameof(ServerFaultKind.WrongCount), "1 vector(s) for 2 input(s)")]
    [InlineData(nameof(ServerFaultKind.WrongDimensions), "9 dimensions, but 8 are expected")]
    [InlineData(nameof(ServerFaultKind.Html), "not valid JSON")]
    public async Task EmbedAsync_MalformedResponse_FailsWithoutRetryAndNeverReturnsAVector(string faultName, string expected)
    {
        await using var server = await FaultInjectingServer.StartAsync(dimensions: 8);
        server.Fault = faultName switch
        {
            nameof(ServerFaultKind.MalformedJson) => ServerFault.MalformedJson,
            nameof(ServerFaultKind.NaN) => ServerFault.NaN,
            nameof(ServerFaultKind.Overflow) => ServerFault.Overflow,
            nameof(ServerFaultKind.WrongCount) => ServerFault.WrongCount,
            nameof(ServerFaultKind.WrongDimensions) => ServerFault.WrongDimensions,
            _ => ServerFault.Html,
        };
        using var scope = Provider(Options(server, configure: o => o.ExpectedDimensions = 8));

        (IReadOnlyList<EmbeddingResult> results, TimeSpan elapsed) = await TimedAsync(scope.Provider, ["a", "b"]);

        RemoteEmbeddingException error = AssertRemoteFailure(results, RemoteFailureKind.MalformedResponse);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Equal(1, error.Attempts);
        Assert.Equal(200, error.StatusCode);
        Assert.Equal(1, server.TotalRequests);
        Assert.True(elapsed < s_fast, $"took {elapsed}");
    }

    [Fact]
    public async Task EmbedAsync_DimensionChangesAfterTheFirstResponse_IsRejected()
    {
        await using var server = await FaultInjectingServer.StartAsync(dimensions: 8);
        using var scope = Provider(Options(server));
        Assert.True((await scope.Provider.EmbedAsync(["first"], cancellationToken: Ct))[0].Succeeded);
        Assert.Equal(8, scope.Provider.Metadata.Dimensions);
        server.Fault = ServerFault.WrongDimensions;

        (IReadOnlyList<EmbeddingResult> results, _) = await TimedAsync(scope.Provider, ["second"]);

        RemoteEmbeddingException error = AssertRemoteFailure(results, RemoteFailureKind.MalformedResponse);
        Assert.Contains("learned from an earlier response", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EmbedAsync_CancelledDuringAnAttempt_ThrowsAndNeverRetries()
    {
        await using var server = await FaultInjectingServer.StartAsync();
        server.Fault = ServerFault.Slow(TimeSpan.FromSeconds(10));
        using var scope = Provider(Options(server));
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        cts.CancelAfter(TimeSpan.FromMilliseconds(200));
        var watch = Stopwatch.StartNew();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => scope.Provider.EmbedAsync(["a"], cancellationToken: cts.Token));

        Assert.True(watch.Elapsed < s_fast, $"took {watch.Elapsed}");
        await Task.Delay(300, Ct);
        Assert.Equal(1, server.TotalRequests);
    }

    [Fact]
    public async Task EmbedAsync_ClientPipelineThrowsUnexpectedly_FailsOnlyThatBatch()
    {
        await using var server = await FaultInjectingServer.StartAsync(dimensions: 8);
        int calls = 0;
        using var client = new HttpClient(new CallbackHandler(() =>
        {
            if (Interlocked.Increment(ref calls) == 1)
            {
                throw new InvalidOperationException("a broken handler");
            }
        }) { InnerHandler = new SocketsHttpHandler() });
        using var provider = new HuggingFaceProvider(client, Options(server, configure: o =>
        {
            o.BatchSize = 2;
            o.MaxConcurrentRequests = 1;
        }));

        IReadOnlyList<EmbeddingResult> results = await provider.EmbedAsync(["a", "b", "c", "d"], cancellationToken: Ct);

        RemoteEmbeddingException error = AssertRemoteFailure(results.Take(2).ToList(), RemoteFailureKind.Transport);
        Assert.IsType<InvalidOperationException>(error.InnerException);
        Assert.True(results[2].Succeeded);
        Assert.True(results[3].Succeeded);
    }

    [Fact]
    public async Task EmbedAsync_AlreadyCancelled_ThrowsWithoutARequest()
    {
        await using var server = await FaultInjectingServer.StartAsync();
        using var scope = Provider(Options(server));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => scope.Provider.EmbedAsync(["a"], cancellationToken: new CancellationToken(true)));
        Assert.Equal(0, server.TotalRequests);
    }

    private sealed class CallbackHandler(Action onSend) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            onSend();
            return base.SendAsync(request, cancellationToken);
        }
    }
}
