using System.Diagnostics.Metrics;
using Embeddings.Diagnostics;

namespace Embeddings.Local;

/// <summary>The local provider's instruments on the <c>Embeddings</c> meter.</summary>
internal sealed class LocalTelemetry
{
    // Tag names shared with the remote provider (OpenTelemetry gen_ai conventions where one exists).
    public const string ProviderTag = "gen_ai.provider.name";
    public const string ModelTag = "gen_ai.request.model";
    public const string ModalityTag = "embeddings.modality";
    public const string OutcomeTag = "embeddings.outcome";

    // Used when no IMeterFactory is given: one meter and one set of instruments per process.
    private static readonly Lazy<LocalTelemetry> s_shared = new(() => new LocalTelemetry(new Meter(EmbeddingsDiagnostics.MeterName)));

    private LocalTelemetry(Meter meter)
    {
        BatchDuration = meter.CreateHistogram<double>(
            "embeddings.local.batch.duration", "s", "Duration of local model runs (one batch).",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30] });
        Items = meter.CreateCounter<long>(
            "embeddings.local.items", "{item}", "Inputs embedded by the local provider, by modality and outcome.");
    }

    /// <summary>Gets the duration of one model run (a batch), in seconds.</summary>
    public Histogram<double> BatchDuration { get; }

    /// <summary>Gets the inputs embedded locally, tagged with modality and outcome.</summary>
    public Counter<long> Items { get; }

    /// <summary>Gets the instruments on the meter from <paramref name="meterFactory"/>, or the shared ones.</summary>
    public static LocalTelemetry For(IMeterFactory? meterFactory) =>
        meterFactory is null ? s_shared.Value : new LocalTelemetry(meterFactory.Create(EmbeddingsDiagnostics.MeterName));
}
