using System.Diagnostics;
using System.Diagnostics.Metrics;
using Embeddings.Diagnostics;

namespace Embeddings.AspNetCore;

/// <summary>The server's instruments on the <see cref="EmbeddingsDiagnostics.MeterName"/> meter.</summary>
internal sealed class ServerMetrics
{
    /// <summary>Inputs per provider call.</summary>
    public const string BatchSizeName = "embeddings.server.batch.size";

    /// <summary>Duration of provider calls.</summary>
    public const string BatchDurationName = "embeddings.server.batch.duration";

    /// <summary>Time requests wait in the queue before their provider call starts.</summary>
    public const string QueueDurationName = "embeddings.server.queue.duration";

    /// <summary>Inputs waiting in the queue.</summary>
    public const string QueuedInputsName = "embeddings.server.queue.inputs";

    /// <summary>Requests refused before reaching the model, by reason.</summary>
    public const string RejectionsName = "embeddings.server.rejections";

    /// <summary>The tag naming the served modality: <c>text</c> or <c>image</c>.</summary>
    public const string ModalityTag = "embeddings.modality";

    /// <summary>The tag naming why a request was refused.</summary>
    public const string ReasonTag = "embeddings.rejection.reason";

    /// <summary>The tag naming the error of a failed provider call.</summary>
    public const string ErrorTypeTag = "error.type";

    // Used when no IMeterFactory is available; one per process, like the meters of Microsoft's own libraries.
    private static readonly Meter s_sharedMeter = new(EmbeddingsDiagnostics.MeterName);

    private readonly Histogram<int> _batchSize;
    private readonly Histogram<double> _batchDuration;
    private readonly Histogram<double> _queueDuration;
    private readonly UpDownCounter<long> _queuedInputs;
    private readonly Counter<long> _rejections;

    public ServerMetrics(IMeterFactory? meterFactory)
    {
        Meter meter = meterFactory?.Create(EmbeddingsDiagnostics.MeterName) ?? s_sharedMeter;
        _batchSize = meter.CreateHistogram<int>(BatchSizeName, "{input}", "Inputs per provider call after dynamic batching.",
            advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 2, 4, 8, 16, 32, 64, 128, 256] });
        _batchDuration = meter.CreateHistogram<double>(BatchDurationName, "s", "Duration of provider calls made by the server.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] });
        _queueDuration = meter.CreateHistogram<double>(QueueDurationName, "s", "Time requests wait before their provider call starts.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5] });
        _queuedInputs = meter.CreateUpDownCounter<long>(QueuedInputsName, "{input}", "Inputs waiting for a provider call.");
        _rejections = meter.CreateCounter<long>(RejectionsName, "{request}", "Requests refused before reaching the model.");
    }

    public void Queued(string modality, int inputs) => _queuedInputs.Add(inputs, new KeyValuePair<string, object?>(ModalityTag, modality));

    public void Dequeued(string modality, int inputs) => _queuedInputs.Add(-inputs, new KeyValuePair<string, object?>(ModalityTag, modality));

    public void QueueWait(string modality, TimeSpan wait) => _queueDuration.Record(wait.TotalSeconds, new KeyValuePair<string, object?>(ModalityTag, modality));

    public void Batch(string modality, int inputs, TimeSpan duration, string? errorType)
    {
        var tags = new TagList { { ModalityTag, modality } };
        if (errorType is not null)
        {
            tags.Add(ErrorTypeTag, errorType);
        }

        _batchSize.Record(inputs, tags);
        _batchDuration.Record(duration.TotalSeconds, tags);
    }

    public void Rejected(string reason) => _rejections.Add(1, new KeyValuePair<string, object?>(ReasonTag, reason));
}
