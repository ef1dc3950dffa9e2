using Microsoft.Extensions.Logging;

namespace Embeddings.Composition;

/// <summary>The fallback provider's log messages. Inputs are counted, never shown.</summary>
internal static partial class FallbackLog
{
    [LoggerMessage(EventId = 4000, EventName = "EmbeddingFallback", Level = LogLevel.Warning,
        Message = "Embedding provider {From} did not embed {Inputs} input(s) (reason={Reason}); {To} serves them instead. {Suppressed} further fallback(s) were not logged since the last warning.")]
    public static partial void FellBack(ILogger logger, string from, int inputs, string reason, string to, int suppressed);

    [LoggerMessage(EventId = 4001, EventName = "EmbeddingFallbackCall", Level = LogLevel.Debug,
        Message = "Fallback embedding call for model {ModelId}: {Inputs} input(s), {FellBack} fell back, {Failed} failed, latency={LatencyMs}ms")]
    public static partial void CallCompleted(ILogger logger, string modelId, int inputs, int fellBack, int failed, long latencyMs);

    [LoggerMessage(EventId = 4002, EventName = "EmbeddingPrimaryRecovered", Level = LogLevel.Information,
        Message = "Embedding provider {Provider} serves again; {FellBack} input(s) fell back while it was failing")]
    public static partial void PrimaryRecovered(ILogger logger, string provider, long fellBack);

    [LoggerMessage(EventId = 4003, EventName = "EmbeddingFallbackUsageObserverFailed", Level = LogLevel.Warning,
        Message = "An embedding usage observer threw; the fallback record was dropped")]
    public static partial void UsageObserverFailed(ILogger logger, Exception exception);
}
