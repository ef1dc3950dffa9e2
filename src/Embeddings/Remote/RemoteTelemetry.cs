using System.Diagnostics;
using System.Diagnostics.Metrics;
using Embeddings.Diagnostics;

namespace Embeddings.Remote;

/// <summary>The remote provider's instruments on the <c>Embeddings</c> meter and its span source.</summary>
internal static class RemoteTelemetry
{
    // Tag names: OpenTelemetry semantic conventions where one exists (gen_ai.*, server.*, error.type, http.*).
    public const string ProviderTag = "gen_ai.provider.name";
    public const string OperationTag = "gen_ai.operation.name";
    public const string ModelTag = "gen_ai.request.model";
    public const string ServerAddressTag = "server.address";
    public const string ServerPortTag = "server.port";
    public const string ErrorTypeTag = "error.type";
    public const string StatusCodeTag = "http.response.status_code";
    public const string ModalityTag = "embeddings.modality";
    public const string ProtocolTag = "embeddings.protocol";
    public const string OutcomeTag = "embeddings.outcome";
    public const string InputCountTag = "embeddings.input.count";
    public const string FailedCountTag = "embeddings.failed.count";
    public const string BatchCountTag = "embeddings.batch.count";
    public const string OperationName = "embeddings";

    public static readonly ActivitySource ActivitySource = new(EmbeddingsDiagnostics.ActivitySourceName);

    private static readonly Meter s_meter = new(EmbeddingsDiagnostics.MeterName);

    /// <summary>Duration of one remote call (a batch with its retries), in seconds.</summary>
    public static readonly Histogram<double> RequestDuration = s_meter.CreateHistogram<double>(
        "embeddings.remote.request.duration", "s", "Duration of remote embedding calls (one batch, retries included).",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120] });

    /// <summary>HTTP attempts sent, tagged with their status or error type.</summary>
    public static readonly Counter<long> Attempts = s_meter.CreateCounter<long>(
        "embeddings.remote.attempts", "{attempt}", "HTTP attempts made to remote embedding services.");

    /// <summary>Inputs carried by remote calls, tagged with the outcome.</summary>
    public static readonly Counter<long> Items = s_meter.CreateCounter<long>(
        "embeddings.remote.items", "{item}", "Inputs sent to remote embedding services, by outcome.");

    /// <summary>Cost of remote calls, in the unit of the configured price (only recorded when one is configured).</summary>
    public static readonly Counter<double> Cost = s_meter.CreateCounter<double>(
        "embeddings.remote.cost", "{cost}", "Cost of remote embedding calls, from the configured price.");
}
