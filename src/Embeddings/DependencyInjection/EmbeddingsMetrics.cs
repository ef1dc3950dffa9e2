using System.Diagnostics;
using System.Diagnostics.Metrics;
using Embeddings.Diagnostics;

namespace Embeddings.DependencyInjection;

/// <summary>The instruments of model loading on the <see cref="EmbeddingsDiagnostics.MeterName"/> meter, and its spans.</summary>
internal sealed class EmbeddingsMetrics
{
    /// <summary>The histogram of model load durations, in seconds, tagged with model, role and outcome.</summary>
    public const string LoadDurationName = "embeddings.model.load.duration";

    public const string ModelTag = "gen_ai.request.model";
    public const string RoleTag = "embeddings.role";
    public const string OutcomeTag = "embeddings.outcome";
    public const string ErrorTypeTag = "error.type";
    public const string LoadOperationName = "embeddings.load";

    public static readonly ActivitySource ActivitySource = new(EmbeddingsDiagnostics.ActivitySourceName);

    // Used when no IMeterFactory is given; one per process.
    private static readonly Lazy<EmbeddingsMetrics> s_shared = new(() => new EmbeddingsMetrics(new Meter(EmbeddingsDiagnostics.MeterName)));

    private EmbeddingsMetrics(Meter meter)
    {
        LoadDuration = meter.CreateHistogram<double>(
            LoadDurationName, "s", "Duration of local model loads (download, read, session creation), by outcome.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600] });
    }

    public Histogram<double> LoadDuration { get; }

    /// <summary>Gets the instruments on the meter from <paramref name="meterFactory"/>, or the shared ones.</summary>
    public static EmbeddingsMetrics For(IMeterFactory? meterFactory) =>
        meterFactory is null ? s_shared.Value : new EmbeddingsMetrics(meterFactory.Create(EmbeddingsDiagnostics.MeterName));
}
