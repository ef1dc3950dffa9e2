using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Embeddings.Diagnostics;
using Embeddings.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using static Embeddings.DependencyInjection.EmbeddingsServiceCollectionExtensionsTests;

namespace Embeddings.DependencyInjection;

/// <summary>Metrics and spans of providers built by <c>AddEmbeddings()</c>, read with in-process listeners. Each test
/// names its own models, so measurements of tests running alongside are told apart.</summary>
public sealed class EmbeddingsTelemetryTests
{
    private const string ApiKey = "hf_SECRET_telemetry_key_3d";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RemoteModeFallback_MetricsOnTheHostsMeterFactoryAndSpansForTheLoadTheFallbackAndTheRemoteCall()
    {
        const string model = "telemetry/siglip-fallback";
        await using var server = await FaultInjectingServer.StartAsync(dimensions: 8, requiredApiKey: ApiKey);
        server.Fault = ServerFault.Status(503);
        using var capture = new TelemetryCapture();
        using var scopes = new MeterScopes();
        Dictionary<string, string?> env = Env(
            ("VISUAL_EMBEDDING_MODE", "remote"),
            ("HUGGINGFACE_API_KEY", ApiKey),
            ("HUGGINGFACE_API_URL", server.BaseUrl.ToString()),
            ("HUGGINGFACE_MAX_RETRIES", "0"),
            ("VISUAL_EMBEDDING_PRIMARY_MODEL", model));
        await using EmbeddingsTestHost host = await EmbeddingsTestHost.StartAsync(env);

        IReadOnlyList<EmbeddingResult> results = await host.Services.GetRequiredKeyedService<IEmbeddingProvider>(EmbeddingsServiceKeys.Image)
            .EmbedAsync(["slate", "linen", "walnut"], cancellationToken: Ct);
        Assert.All(results, r => Assert.Equal("local-onnx", r.ProviderName));

        CapturedMeasurement load = Assert.Single(capture.For(EmbeddingsMetrics.LoadDurationName, model));
        Assert.Equal(("image", "success"), (load.Tags["embeddings.role"], load.Tags["embeddings.outcome"]));
        Assert.InRange(load.Value, 0, 30);

        CapturedMeasurement fallbacks = Assert.Single(capture.Measurements, m => m.Instrument == "embeddings.fallback.fallbacks" && Equals(m.Tags["gen_ai.request.model"], model));
        Assert.Equal((3.0, "huggingface", "local-onnx", "HttpStatus"), (fallbacks.Value, fallbacks.Tags["embeddings.fallback.from"], fallbacks.Tags["embeddings.fallback.to"], fallbacks.Tags["embeddings.fallback.reason"]));
        CapturedMeasurement attempt = Assert.Single(capture.For("embeddings.remote.attempts", model));
        Assert.Equal(503, attempt.Tags["http.response.status_code"]);

        // The instruments AddEmbeddings creates (and the fallback provider it builds) are on the host's IMeterFactory.
        object factory = host.Services.GetRequiredService<IMeterFactory>();
        Assert.Contains(factory, scopes.ScopesOf(EmbeddingsMetrics.LoadDurationName));
        Assert.Contains(factory, scopes.ScopesOf("embeddings.fallback.fallbacks"));

        Activity loadSpan = Assert.Single(capture.Spans, s => s.DisplayName == $"embeddings.load {model}");
        Assert.Equal((EmbeddingsDiagnostics.ActivitySourceName, "image"), (loadSpan.Source.Name, loadSpan.GetTagItem("embeddings.role")));
        Activity fallbackSpan = Assert.Single(capture.Spans, s => s.DisplayName == $"embeddings {model}" && s.Kind == ActivityKind.Internal);
        Assert.Contains(fallbackSpan.Events, e => e.Name == "embeddings.fallback");
        Activity remoteSpan = Assert.Single(capture.Spans, s => s.DisplayName == $"embeddings {model}" && s.Kind == ActivityKind.Client);
        Assert.Equal(fallbackSpan.SpanId, remoteSpan.ParentSpanId);
        Assert.Equal(fallbackSpan.SpanId, loadSpan.ParentSpanId);

        Assert.DoesNotContain(ApiKey, capture.AllText, StringComparison.Ordinal);
        Assert.DoesNotContain(ApiKey, host.Logs.AllText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LocalModelFailsToLoad_TheLoadDurationIsRecordedAsAFailureWithTheErrorType()
    {
        const string model = "telemetry/missing-text-model";
        using var capture = new TelemetryCapture();
        var loader = new TestLocalModelLoader { OnLoad = (_, _) => throw new EmbeddingModelException(model, "not in the cache") };
        await using EmbeddingsTestHost host = await EmbeddingsTestHost.StartAsync(Env(("EMBEDDINGS_TEXT_MODEL", model)), loader: loader);

        await host.Services.GetRequiredService<IEmbeddingProvider>().EmbedAsync(["a"], cancellationToken: Ct);

        CapturedMeasurement load = Assert.Single(capture.For(EmbeddingsMetrics.LoadDurationName, model));
        Assert.Equal(("text", "failure", "EmbeddingModelException"), (load.Tags["embeddings.role"], load.Tags["embeddings.outcome"], load.Tags["error.type"]));
        Activity span = Assert.Single(capture.Spans, s => s.DisplayName == $"embeddings.load {model}");
        Assert.Equal(ActivityStatusCode.Error, span.Status);
    }

    /// <summary>Remembers the scope (the creating <see cref="IMeterFactory"/>) of every instrument on the Embeddings meter.</summary>
    private sealed class MeterScopes : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly ConcurrentDictionary<string, ConcurrentBag<object?>> _scopes = new();

        public MeterScopes()
        {
            _listener.InstrumentPublished = (instrument, _) =>
            {
                if (instrument.Meter.Name == EmbeddingsDiagnostics.MeterName)
                {
                    _scopes.GetOrAdd(instrument.Name, _ => []).Add(instrument.Meter.Scope);
                }
            };
            _listener.Start();
        }

        /// <summary>Gets the scopes of the instruments of a name created since this listener started.</summary>
        public IReadOnlyList<object?> ScopesOf(string instrument) =>
            _scopes.TryGetValue(instrument, out ConcurrentBag<object?>? scopes) ? [.. scopes] : [];

        public void Dispose() => _listener.Dispose();
    }
}
