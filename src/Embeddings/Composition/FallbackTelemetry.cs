using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Embeddings.Diagnostics;
using Embeddings.Remote;

namespace Embeddings.Composition;

/// <summary>
/// The fallback provider's instruments on the <see cref="EmbeddingsDiagnostics.MeterName"/> meter and its spans on the
/// <see cref="EmbeddingsDiagnostics.ActivitySourceName"/> source. Tag names follow the OpenTelemetry semantic
/// conventions where one exists (<c>gen_ai.*</c>, <c>error.type</c>), as the remote provider's do.
/// </summary>
internal sealed class FallbackTelemetry
{
    /// <summary>The histogram of composite call durations, in seconds.</summary>
    public const string DurationName = "embeddings.fallback.request.duration";

    /// <summary>The counter of inputs, tagged with the provider that served (or last failed) each and the outcome.</summary>
    public const string ItemsName = "embeddings.fallback.items";

    /// <summary>The counter of inputs passed from one provider to the next, tagged from, to and reason.</summary>
    public const string FallbacksName = "embeddings.fallback.fallbacks";

    /// <summary>The gauge of the primary provider's circuit state (the <see cref="RemoteCircuitState"/> value).</summary>
    public const string CircuitStateName = "embeddings.fallback.primary.circuit_state";

    public const string OperationTag = "gen_ai.operation.name";
    public const string ProviderTag = "gen_ai.provider.name";
    public const string ModelTag = "gen_ai.request.model";
    public const string DimensionsTag = "gen_ai.embeddings.dimension.count";
    public const string ErrorTypeTag = "error.type";
    public const string OutcomeTag = "embeddings.outcome";
    public const string InputCountTag = "embeddings.input.count";
    public const string FailedCountTag = "embeddings.failed.count";
    public const string FallbackCountTag = "embeddings.fallback.count";
    public const string FromTag = "embeddings.fallback.from";
    public const string ToTag = "embeddings.fallback.to";
    public const string ReasonTag = "embeddings.fallback.reason";
    public const string PrimaryTag = "embeddings.fallback.primary";
    public const string FallbackEventName = "embeddings.fallback";
    public const string OperationName = "embeddings";

    public static readonly ActivitySource ActivitySource = new(EmbeddingsDiagnostics.ActivitySourceName);

    // Used when no IMeterFactory is given: one meter and one set of instruments per process, observing every live
    // fallback provider, so that creating providers never piles up instruments.
    private static readonly Lazy<FallbackTelemetry> s_shared = new(() => new FallbackTelemetry(new Meter(EmbeddingsDiagnostics.MeterName)));

    private readonly ConcurrentDictionary<FallbackProvider, byte> _observed = new();

    private FallbackTelemetry(Meter meter)
    {
        Duration = meter.CreateHistogram<double>(
            DurationName, "s", "Duration of fallback embedding calls, every provider tried included.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120] });
        Items = meter.CreateCounter<long>(ItemsName, "{item}", "Inputs embedded through a fallback provider, by the provider that served them and outcome.");
        Fallbacks = meter.CreateCounter<long>(FallbacksName, "{item}", "Inputs passed from a failing provider to the next one, by reason.");
        meter.CreateObservableGauge(CircuitStateName, Observe, "{state}", "Circuit state of each fallback provider's primary: 0 closed, 1 open, 2 half-open.");
    }

    public Histogram<double> Duration { get; }

    public Counter<long> Items { get; }

    public Counter<long> Fallbacks { get; }

    /// <summary>Gets the instruments on the meter from <paramref name="meterFactory"/>, or the shared ones.</summary>
    public static FallbackTelemetry For(IMeterFactory? meterFactory) =>
        meterFactory is null ? s_shared.Value : new FallbackTelemetry(meterFactory.Create(EmbeddingsDiagnostics.MeterName));

    /// <summary>Reports <paramref name="provider"/>'s primary circuit state on the gauge until <see cref="Unregister"/>.</summary>
    public void Register(FallbackProvider provider) => _observed.TryAdd(provider, 0);

    public void Unregister(FallbackProvider provider) => _observed.TryRemove(provider, out _);

    private IEnumerable<Measurement<int>> Observe()
    {
        foreach (FallbackProvider provider in _observed.Keys)
        {
            if (provider.PrimaryCircuitState is { } state)
            {
                EmbeddingProviderMetadata primary = provider.Providers[0].Metadata;
                yield return new Measurement<int>(
                    (int)state,
                    new KeyValuePair<string, object?>(ProviderTag, primary.ProviderName),
                    new KeyValuePair<string, object?>(ModelTag, primary.ModelId));
            }
        }
    }
}
