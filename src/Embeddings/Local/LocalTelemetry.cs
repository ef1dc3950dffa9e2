using System.Diagnostics.Metrics;
using Embeddings.Diagnostics;

namespace Embeddings.Local;

/// <summary>The local provider's instruments on the <c>Embeddings</c> meter.</summary>
internal static class LocalTelemetry
{
    // Tag names shared with the remote provider (OpenTelemetry gen_ai conventions where one exists).
    public const string ProviderTag = "gen_ai.provider.name";
    public const string ModelTag = "gen_ai.request.model";
    public const string ModalityTag = "embeddings.modality";
    public const string OutcomeTag = "embeddings.outcome";

    private static readonly Meter s_meter = new(EmbeddingsDiagnostics.MeterName);

    /// <summary>Duration of one model run (a batch), in seconds.</summary>
    public static readonly Histogram<double> BatchDuration = s_meter.CreateHistogram<double>(
        "embeddings.local.batch.duration", "s", "Duration of local model runs (one batch).",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30] });

    /// <summary>Inputs embedded locally, tagged with modality and outcome.</summary>
    public static readonly Counter<long> Items = s_meter.CreateCounter<long>(
        "embeddings.local.items", "{item}", "Inputs embedded by the local provider, by modality and outcome.");
}
