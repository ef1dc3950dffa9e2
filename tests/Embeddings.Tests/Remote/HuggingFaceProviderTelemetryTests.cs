using Embeddings.Diagnostics;
using Embeddings.TestSupport;
using Microsoft.Extensions.Logging;
using static Embeddings.Remote.RemoteTestHelpers;

namespace Embeddings.Remote;

public sealed class HuggingFaceProviderTelemetryTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string UniqueModel() => $"telemetry/{Guid.NewGuid():N}";

    [Fact]
    public async Task EmbedAsync_Success_RecordsUsagePerBatchWithoutCostWhenNoPriceIsSet()
    {
        await using var server = await FaultInjectingServer.StartAsync(dimensions: 8);
        var observer = new RecordingUsageObserver();
        string model = UniqueModel();
        using var scope = Provider(Options(server, configure: o =>
        {
            o.ModelId = model;
            o.BatchSize = 3;
        }), observer: observer);
        DateTimeOffset before = DateTimeOffset.UtcNow;

        await scope.Provider.EmbedAsync(["a", "b", "c", "d"], cancellationToken: Ct);

        Assert.Equal(2, observer.Records.Count);
        EmbeddingUsageRecord first = observer.Records.OrderByDescending(r => r.Inputs).First();
        Assert.Equal("huggingface", first.ProviderName);
        Assert.Equal(model, first.ModelId);
        Assert.Equal(EmbeddingModalities.Text, first.Modality);
        Assert.Equal("embed", first.TaskName);
        Assert.Equal(3, first.Inputs);
        Assert.Equal(3, first.Succeeded);
        Assert.Equal(1, first.Attempts);
        Assert.Equal(EmbeddingCallOutcome.Succeeded, first.Outcome);
        Assert.Equal(200, first.StatusCode);
        Assert.Null(first.FailureKind);
        Assert.Null(first.FallbackReason);
        Assert.Null(first.Cost);
        Assert.InRange(first.Timestamp, before, DateTimeOffset.UtcNow);
        Assert.True(first.Latency > TimeSpan.Zero);
        Assert.Equal(new Uri(server.BaseUrl, "embed").ToString(), first.Endpoint);
        Assert.Equal([3, 1], observer.Records.Select(r => r.Inputs).Order().Reverse());
    }

    [Fact]
    public async Task EmbedAsync_PricePerInput_CostsOnlySucceededInputs()
    {
        await using var server = await FaultInjectingServer.StartAsync();
        var observer = new RecordingUsageObserver();
        using var scope = Provider(Options(server, configure: o => o.PricePerInput = 0.0001m), observer: observer);

        await scope.Provider.EmbedAsync(["a", "b", "c"], cancellationToken: Ct);
        server.Fault = ServerFault.Status(500);
        await scope.Provider.EmbedAsync(["d", "e"], cancellationToken: Ct);

        Assert.Equal(0.0003m, observer.Records[0].Cost);
        Assert.Equal(EmbeddingCallOutcome.Failed, observer.Records[1].Outcome);
        Assert.Equal(RemoteFailureKind.HttpStatus, observer.Records[1].FailureKind);
        Assert.Equal(4, observer.Records[1].Attempts);
        Assert.Equal(0, observer.Records[1].Succeeded);
        Assert.Equal(0m, observer.Records[1].Cost);
    }

    [Fact]
    public async Task EmbedAsync_PricePer1KTokens_UsesTheTokensTheServiceReported()
    {
        await using var server = await FaultInjectingServer.StartAsync();
        var observer = new RecordingUsageObserver();
        using var scope = Provider(Options(server, RemoteProtocol.OpenAI, o => o.PricePer1KTokens = 0.02m), observer: observer);
        string[] texts = ["twelve chars", "five!"];

        await scope.Provider.EmbedAsync([.. texts.Select(t => EmbeddingInput.FromText(t))], cancellationToken: Ct);

        // The test server reports one token per character.
        int tokens = texts.Sum(t => t.Length);
        Assert.Equal(tokens, observer.Records[0].InputTokens);
        Assert.Equal(0.02m * tokens / 1000m, observer.Records[0].Cost);
    }

    [Fact]
    public async Task EmbedAsync_PricePer1KTokensButNoUsageReported_HasNoCost()
    {
        await using var server = await FaultInjectingServer.StartAsync();
        var observer = new RecordingUsageObserver();
        using var scope = Provider(Options(server, configure: o => o.PricePer1KTokens = 0.02m), observer: observer);

        await scope.Provider.EmbedAsync(["a"], cancellationToken: Ct);

        Assert.Null(observer.Records[0].InputTokens);
        Assert.Null(observer.Records[0].Cost);
    }

    [Fact]
    public async Task EmbedAsync_Retried_RecordsAttemptsAndLogsTheReason()
    {
        await using var server = await FaultInjectingServer.StartAsync();
        server.EnqueueFaults(ServerFault.Status(503), ServerFault.RateLimited("0"));
        var observer = new RecordingUsageObserver();
        var logs = new CapturingLoggerProvider();
        using var scope = Provider(Options(server), logs.CreateLogger("remote"), observer);

        await scope.Provider.EmbedAsync(["a"], cancellationToken: Ct);

        Assert.Equal(3, observer.Records[0].Attempts);
        Assert.Equal(EmbeddingCallOutcome.Succeeded, observer.Records[0].Outcome);
        CapturedLog retry = Assert.Single(logs.Entries, e => e.EventId.Name == "RemoteRetry");
        Assert.Equal(LogLevel.Information, retry.Level);
        Assert.Contains("HTTP 503", retry.Message, StringComparison.Ordinal);
        CapturedLog limited = Assert.Single(logs.Entries, e => e.EventId.Name == "RemoteRateLimited");
        Assert.Equal(LogLevel.Warning, limited.Level);
        CapturedLog batch = Assert.Single(logs.Entries, e => e.EventId.Name == "RemoteBatchCompleted");
        Assert.Equal(LogLevel.Debug, batch.Level);
        Assert.Matches(@"latency=\d+ms attempts=3", batch.Message);
    }

    [Fact]
    public async Task EmbedAsync_Cancelled_RecordsACancelledCall()
    {
        await using var server = await FaultInjectingServer.StartAsync();
        server.Fault = ServerFault.Slow(TimeSpan.FromSeconds(5));
        var observer = new RecordingUsageObserver();
        using var scope = Provider(Options(server), observer: observer);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);

        // Cancel only once the attempt has reached the server, however slowly a loaded machine gets there.
        Task call = scope.Provider.EmbedAsync(["a"], cancellationToken: cts.Token);
        while (server.TotalRequests == 0)
        {
            await Task.Delay(5, Ct);
        }

        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);

        EmbeddingUsageRecord record = Assert.Single(observer.Records);
        Assert.Equal(EmbeddingCallOutcome.Cancelled, record.Outcome);
        Assert.Equal(1, record.Attempts);
    }

    [Fact]
    public async Task EmbedAsync_ObserverThrows_TheCallStillSucceedsAndTheFailureIsLogged()
    {
        await using var server = await FaultInjectingServer.StartAsync();
        var observer = new RecordingUsageObserver { OnRecord = _ => throw new InvalidOperationException("observer bug") };
        var logs = new CapturingLoggerProvider();
        using var scope = Provider(Options(server), logs.CreateLogger("remote"), observer);

        IReadOnlyList<EmbeddingResult> results = await scope.Provider.EmbedAsync(["a"], cancellationToken: Ct);

        Assert.True(results[0].Succeeded);
        Assert.Contains(logs.Entries, e => e.EventId.Name == "RemoteUsageObserverFailed" && e.Exception!.Contains("observer bug", StringComparison.Ordinal));
    }

    [Fact]
    public async Task EmbedAsync_PublishesMetricsOnTheEmbeddingsMeter()
    {
        await using var server = await FaultInjectingServer.StartAsync();
        server.EnqueueFaults(ServerFault.Status(502));
        string model = UniqueModel();
        using var telemetry = new TelemetryCapture();
        using var scope = Provider(Options(server, configure: o =>
        {
            o.ModelId = model;
            o.PricePerInput = 0.5m;
        }));

        await scope.Provider.EmbedAsync(["a", "b"], cancellationToken: Ct);

        CapturedMeasurement duration = Assert.Single(telemetry.For("embeddings.remote.request.duration", model));
        Assert.True(duration.Value > 0);
        Assert.Equal("success", duration.Tags["embeddings.outcome"]);
        Assert.Equal("text", duration.Tags["embeddings.modality"]);
        Assert.Equal("huggingface", duration.Tags["gen_ai.provider.name"]);
        IReadOnlyList<CapturedMeasurement> attempts = telemetry.For("embeddings.remote.attempts", model);
        Assert.Equal(2, attempts.Sum(a => a.Value));
        Assert.Contains(attempts, a => Equals(a.Tags["http.response.status_code"], 502));
        Assert.Equal(2, telemetry.For("embeddings.remote.items", model).Sum(m => m.Value));
        Assert.Equal(1.0, telemetry.For("embeddings.remote.cost", model).Sum(m => m.Value));
    }

    [Fact]
    public async Task EmbedAsync_StartsASpanWithGenAiAttributesAndNoContent()
    {
        await using var server = await FaultInjectingServer.StartAsync();
        string model = UniqueModel();
        using var telemetry = new TelemetryCapture();
        using var scope = Provider(Options(server, configure: o => o.ModelId = model));
        const string Secret = "the quick brown fox";

        await scope.Provider.EmbedAsync([Secret, "x"], cancellationToken: Ct);

        System.Diagnostics.Activity span = Assert.Single(telemetry.Spans, s => s.Source.Name == "Embeddings" && Equals(s.GetTagItem("gen_ai.request.model"), model));
        Assert.Equal($"embeddings {model}", span.DisplayName);
        Assert.Equal(System.Diagnostics.ActivityKind.Client, span.Kind);
        Assert.Equal("embeddings", span.GetTagItem("gen_ai.operation.name"));
        Assert.Equal("huggingface", span.GetTagItem("gen_ai.provider.name"));
        Assert.Equal(2, span.GetTagItem("embeddings.input.count"));
        Assert.Equal(0, span.GetTagItem("embeddings.failed.count"));
        Assert.Equal("127.0.0.1", span.GetTagItem("server.address"));
        Assert.DoesNotContain(Secret, telemetry.AllText, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_LegacyHost_LogsAWarningAndTargetsTheRouter()
    {
        var logs = new CapturingLoggerProvider();
        using var client = new HttpClient();
        using var provider = new HuggingFaceProvider(client, new HuggingFaceProviderOptions
        {
            BaseUrl = new Uri("https://api-inference.huggingface.co"),
            ModelId = "sentence-transformers/all-MiniLM-L6-v2",
        }, logs.CreateLogger("remote"));

        CapturedLog warning = Assert.Single(logs.Entries, e => e.EventId.Name == "RemoteLegacyHostMapped");
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Equal(
            new Uri("https://router.huggingface.co/hf-inference/models/sentence-transformers/all-MiniLM-L6-v2/pipeline/feature-extraction"),
            provider.Metadata.ProviderUri);
    }
}
