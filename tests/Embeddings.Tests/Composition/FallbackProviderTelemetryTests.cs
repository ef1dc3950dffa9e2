using System.Diagnostics;
using Embeddings.Diagnostics;
using Embeddings.Remote;
using Embeddings.TestSupport;
using Microsoft.Extensions.Logging;
using static Embeddings.Composition.FallbackTestProviders;

namespace Embeddings.Composition;

public sealed class FallbackProviderTelemetryTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string UniqueModel() => $"fallback-telemetry/{Guid.NewGuid():N}";

    [Fact]
    public async Task EmbedAsync_Fallbacks_CountedByFromToAndReasonWithItemsPerServingProviderAndOneDuration()
    {
        string model = UniqueModel();
        using var capture = new TelemetryCapture();
        using TestEmbeddingProvider primary = Failing("primary", i => i.Text!.StartsWith('x') ? RemoteError(RemoteFailureKind.HttpStatus, 503) : null);
        using TestEmbeddingProvider local = LocalFake();
        using var fallback = new FallbackProvider([Renamed(primary, model), Renamed(local, model)], new FallbackProviderOptions { LeaveOpen = true });

        await fallback.EmbedAsync(["a", "x1", "x2", "b"], cancellationToken: Ct);

        CapturedMeasurement hop = Assert.Single(capture.For(FallbackTelemetry.FallbacksName, model));
        Assert.Equal(2, hop.Value);
        Assert.Equal("primary", hop.Tags[FallbackTelemetry.FromTag]);
        Assert.Equal("local", hop.Tags[FallbackTelemetry.ToTag]);
        Assert.Equal("HttpStatus", hop.Tags[FallbackTelemetry.ReasonTag]);

        IReadOnlyList<CapturedMeasurement> items = capture.For(FallbackTelemetry.ItemsName, model);
        Assert.Equal(2, items.Where(m => Equals(m.Tags[FallbackTelemetry.ProviderTag], "primary")).Sum(m => m.Value));
        Assert.Equal(2, items.Where(m => Equals(m.Tags[FallbackTelemetry.ProviderTag], "local")).Sum(m => m.Value));
        Assert.All(items, m => Assert.Equal("success", m.Tags[FallbackTelemetry.OutcomeTag]));

        CapturedMeasurement duration = Assert.Single(capture.For(FallbackTelemetry.DurationName, model));
        Assert.InRange(duration.Value, 0, 10);
        Assert.Equal("success", duration.Tags[FallbackTelemetry.OutcomeTag]);
        Assert.Equal(FallbackProvider.ProviderName, duration.Tags[FallbackTelemetry.ProviderTag]);
        Assert.Equal("embeddings", duration.Tags[FallbackTelemetry.OperationTag]);
    }

    [Fact]
    public async Task EmbedAsync_WithAMeterFactory_RecordsOnItsEmbeddingsMeter()
    {
        using var meters = new RecordingMeterFactory();
        using TestEmbeddingProvider primary = Failing("primary", _ => RemoteError(RemoteFailureKind.Timeout));
        using TestEmbeddingProvider local = LocalFake();
        using var fallback = new FallbackProvider([primary, local], new FallbackProviderOptions { LeaveOpen = true }, meterFactory: meters);

        await fallback.EmbedAsync(["a", "b", "c"], cancellationToken: Ct);

        Assert.Equal(3, meters.Sum(FallbackTelemetry.FallbacksName, (FallbackTelemetry.ReasonTag, "Timeout"), (FallbackTelemetry.ToTag, "local")));
        Assert.Equal(3, meters.Sum(FallbackTelemetry.ItemsName, (FallbackTelemetry.ProviderTag, "local")));
        Assert.All(meters.Measurements, m => Assert.Equal(EmbeddingsDiagnostics.MeterName, m.Meter));
    }

    [Fact]
    public async Task EmbedAsync_FailedAndCancelledCalls_RecordTheirOutcome()
    {
        string model = UniqueModel();
        using var capture = new TelemetryCapture();
        using TestEmbeddingProvider primary = Failing("primary", _ => RemoteError(RemoteFailureKind.Transport));
        using TestEmbeddingProvider local = Failing("local", i => i.Text == "bad" ? new EmbeddingInputException(EmbeddingInputError.Corrupt, "x", "y") : null);
        using var fallback = new FallbackProvider([Renamed(primary, model), Renamed(local, model)], new FallbackProviderOptions { LeaveOpen = true });

        await fallback.EmbedAsync(["bad", "good"], cancellationToken: Ct);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => fallback.EmbedAsync(["a"], cancellationToken: new CancellationToken(true)));
        using var cts = new CancellationTokenSource();
        primary.OnCall = (_, _) => cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => fallback.EmbedAsync(["a"], cancellationToken: cts.Token));

        IReadOnlyList<CapturedMeasurement> durations = capture.For(FallbackTelemetry.DurationName, model);
        Assert.Equal(["partial", "cancelled"], durations.Select(d => (string)d.Tags[FallbackTelemetry.OutcomeTag]!));
        Assert.Equal("Corrupt", durations[0].Tags[FallbackTelemetry.ErrorTypeTag]);
        Assert.Equal(1, capture.For(FallbackTelemetry.ItemsName, model).Single(m => Equals(m.Tags[FallbackTelemetry.OutcomeTag], "failure")).Value);
    }

    [Fact]
    public void CircuitStateGauge_ReportsThePrimarysStateWithoutCallingIt()
    {
        string model = UniqueModel();
        using var capture = new TelemetryCapture();
        RemoteCircuitState state = RemoteCircuitState.Closed;
        using TestEmbeddingProvider primary = LocalFake(name: "huggingface", model: model);
        primary.Services = t => t == typeof(RemoteCircuitState) ? state : null;
        using TestEmbeddingProvider local = LocalFake(model: model);
        var fallback = new FallbackProvider([primary, local], new FallbackProviderOptions { LeaveOpen = true });

        capture.RecordObservableInstruments();
        state = RemoteCircuitState.Open;
        capture.RecordObservableInstruments();
        state = RemoteCircuitState.HalfOpen;
        capture.RecordObservableInstruments();
        fallback.Dispose();
        capture.RecordObservableInstruments();

        IReadOnlyList<CapturedMeasurement> gauge = capture.For(FallbackTelemetry.CircuitStateName, model);
        Assert.Equal([0d, 1d, 2d], gauge.Select(m => m.Value));
        Assert.All(gauge, m => Assert.Equal("huggingface", m.Tags[FallbackTelemetry.ProviderTag]));
        Assert.Equal(0, primary.Calls);
    }

    [Fact]
    public async Task EmbedAsync_Span_FollowsGenAiConventionsWithAFallbackEventAndTheRemoteSpanInsideAndNoContent()
    {
        string model = UniqueModel();
        await using var server = await FaultInjectingServer.StartAsync(dimensions: 8);
        server.Fault = ServerFault.Status(502);
        using var capture = new TelemetryCapture();
        using HttpClient client = Client();
        HuggingFaceProvider remote = RemoteProvider(client, RemoteOptions(server, o => o.ModelId = model));
        using TestEmbeddingProvider local = LocalFake(model: model);
        using var fallback = new FallbackProvider([remote, local]);

        await fallback.EmbedAsync(["a secret sentence", "another private text"], cancellationToken: Ct);

        Activity span = Assert.Single(capture.Spans, s => s.DisplayName == $"embeddings {model}" && s.Kind == ActivityKind.Internal);
        Assert.Equal(EmbeddingsDiagnostics.ActivitySourceName, span.Source.Name);
        Assert.Equal("embeddings", span.GetTagItem(FallbackTelemetry.OperationTag));
        Assert.Equal(model, span.GetTagItem(FallbackTelemetry.ModelTag));
        Assert.Equal(FallbackProvider.ProviderName, span.GetTagItem(FallbackTelemetry.ProviderTag));
        Assert.Equal("huggingface", span.GetTagItem(FallbackTelemetry.PrimaryTag));
        Assert.Equal(2, span.GetTagItem(FallbackTelemetry.InputCountTag));
        Assert.Equal(2, span.GetTagItem(FallbackTelemetry.FallbackCountTag));
        Assert.Equal(0, span.GetTagItem(FallbackTelemetry.FailedCountTag));
        Assert.Equal(8, span.GetTagItem(FallbackTelemetry.DimensionsTag));
        Assert.Equal("success", span.GetTagItem(FallbackTelemetry.OutcomeTag));
        ActivityEvent hop = Assert.Single(span.Events);
        Assert.Equal(FallbackTelemetry.FallbackEventName, hop.Name);
        Assert.Equal("HttpStatus", hop.Tags.Single(t => t.Key == FallbackTelemetry.ReasonTag).Value);
        Assert.Equal("local", hop.Tags.Single(t => t.Key == FallbackTelemetry.ToTag).Value);

        Activity remoteSpan = Assert.Single(capture.Spans, s => s.Kind == ActivityKind.Client && Equals(s.GetTagItem("gen_ai.request.model"), model));
        Assert.Equal(span.SpanId, remoteSpan.ParentSpanId);
        Assert.DoesNotContain("secret", capture.AllText, StringComparison.Ordinal);
        Assert.DoesNotContain("private", capture.AllText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EmbedAsync_RepeatedFallbacks_OneWarningPerIntervalReportingTheOnesHeldBack()
    {
        var clock = new ManualTimeProvider();
        var logs = new RecordingLoggerFactory();
        using TestEmbeddingProvider primary = Failing("primary", _ => RemoteError(RemoteFailureKind.HttpStatus, 503));
        using TestEmbeddingProvider local = LocalFake();
        using var fallback = new FallbackProvider(
            [primary, local], new FallbackProviderOptions { LeaveOpen = true, WarningInterval = TimeSpan.FromSeconds(30) }, logs, null, null, clock);

        for (int i = 0; i < 5; i++)
        {
            await fallback.EmbedAsync(["a", "b"], cancellationToken: Ct);
            clock.Advance(TimeSpan.FromSeconds(1));
        }

        clock.Advance(TimeSpan.FromSeconds(30));
        await fallback.EmbedAsync(["secret input"], cancellationToken: Ct);

        RecordingLoggerFactory.Entry[] warnings = [.. logs.Entries.Where(e => e.Level == LogLevel.Warning)];
        Assert.Equal(2, warnings.Length);
        Assert.All(warnings, w => Assert.Equal(4000, w.EventId.Id));
        Assert.Contains("primary did not embed 2 input(s) (reason=HttpStatus); local serves them instead. 0 further", warnings[0].Message, StringComparison.Ordinal);
        Assert.Contains("1 input(s) (reason=HttpStatus)", warnings[1].Message, StringComparison.Ordinal);
        Assert.Contains("4 further fallback(s) were not logged", warnings[1].Message, StringComparison.Ordinal);

        RecordingLoggerFactory.Entry[] debug = [.. logs.Entries.Where(e => e.Level == LogLevel.Debug)];
        Assert.Equal(6, debug.Length);
        Assert.All(debug, d => Assert.Matches(@"latency=\d+ms", d.Message));
        Assert.Contains("2 input(s), 2 fell back, 0 failed", debug[0].Message, StringComparison.Ordinal);
        Assert.DoesNotContain(logs.Entries, e => e.Message.Contains("secret", StringComparison.Ordinal));
    }

    [Fact]
    public async Task EmbedAsync_PrimaryServesAgainAfterFallbacks_LogsItsRecoveryOnce()
    {
        var logs = new RecordingLoggerFactory();
        bool failing = true;
        using TestEmbeddingProvider primary = Failing("primary", _ => failing ? RemoteError(RemoteFailureKind.Timeout) : null);
        using TestEmbeddingProvider local = LocalFake();
        using var fallback = new FallbackProvider([primary, local], new FallbackProviderOptions { LeaveOpen = true }, logs);

        await fallback.EmbedAsync(["a", "b"], cancellationToken: Ct);
        await fallback.EmbedAsync(["c"], cancellationToken: Ct);
        failing = false;
        await fallback.EmbedAsync(["d"], cancellationToken: Ct);
        await fallback.EmbedAsync(["e"], cancellationToken: Ct);

        RecordingLoggerFactory.Entry recovered = Assert.Single(logs.Entries, e => e.EventId.Id == 4002);
        Assert.Equal(LogLevel.Information, recovered.Level);
        Assert.Contains("primary serves again; 3 input(s) fell back", recovered.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EmbedAsync_UsageObserver_GetsARecordPerFallbackCallWithTheReason()
    {
        var observer = new RecordingUsageObserver();
        using TestEmbeddingProvider primary = Failing("primary", i => i.Text!.StartsWith('x') ? RemoteError(RemoteFailureKind.RateLimited, 429) : null);
        using TestEmbeddingProvider local = LocalFake();
        using var fallback = new FallbackProvider([primary, local], new FallbackProviderOptions { LeaveOpen = true }, usageObserver: observer);
        DateTimeOffset before = DateTimeOffset.UtcNow;

        await fallback.EmbedAsync(["a", "b"], cancellationToken: Ct);
        await fallback.EmbedAsync(["a", "x1", "x2"], cancellationToken: Ct);

        EmbeddingUsageRecord record = Assert.Single(observer.Records);
        Assert.Equal("local", record.ProviderName);
        Assert.Equal(Model, record.ModelId);
        Assert.Equal(EmbeddingModalities.Text, record.Modality);
        Assert.Equal(2, record.Inputs);
        Assert.Equal(2, record.Succeeded);
        Assert.Equal(EmbeddingCallOutcome.Succeeded, record.Outcome);
        Assert.Equal("RateLimited", record.FallbackReason);
        Assert.Null(record.Cost);
        Assert.InRange(record.Timestamp, before, DateTimeOffset.UtcNow);
    }

    [Fact]
    public async Task EmbedAsync_UsageObserverThrows_IsLoggedAndTheCallSucceeds()
    {
        var logs = new RecordingLoggerFactory();
        var observer = new RecordingUsageObserver { OnRecord = _ => throw new InvalidOperationException("storage down") };
        using TestEmbeddingProvider primary = Failing("primary", _ => RemoteError(RemoteFailureKind.Transport));
        using TestEmbeddingProvider local = LocalFake();
        using var fallback = new FallbackProvider([primary, local], new FallbackProviderOptions { LeaveOpen = true }, logs, usageObserver: observer);

        IReadOnlyList<EmbeddingResult> results = await fallback.EmbedAsync(["a"], cancellationToken: Ct);

        Assert.True(results[0].Succeeded);
        Assert.Single(logs.Entries, e => e.EventId.Id == 4003 && e.Exception is InvalidOperationException);
    }

    /// <summary>Gives a fake provider a per-test model id, so that measurements of parallel tests do not mix.</summary>
    private static TestEmbeddingProvider Renamed(TestEmbeddingProvider provider, string model)
    {
        EmbeddingProviderMetadata m = provider.Metadata;
        var renamed = new TestEmbeddingProvider(new EmbeddingProviderMetadata(m.ProviderName, model, m.Dimensions, m.Modalities))
        {
            EmbedOne = provider.EmbedOne,
        };
        renamed.OnCall = (inputs, token) => provider.OnCall?.Invoke(inputs, token) ?? Task.CompletedTask;
        return renamed;
    }
}
