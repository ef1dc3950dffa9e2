using Microsoft.Extensions.Logging;

namespace Embeddings.Remote;

/// <summary>The remote provider's log messages. Never logs inputs or credentials; endpoints are logged without
/// user info or query.</summary>
internal static partial class RemoteLog
{
    [LoggerMessage(EventId = 3000, EventName = "RemoteBatchCompleted", Level = LogLevel.Debug,
        Message = "Remote embedding batch to {Endpoint}: {Inputs} input(s), status={StatusCode} latency={LatencyMs}ms attempts={Attempts}")]
    public static partial void BatchCompleted(this ILogger logger, string endpoint, int inputs, int? statusCode, long latencyMs, int attempts);

    [LoggerMessage(EventId = 3001, EventName = "RemoteBatchFailed", Level = LogLevel.Warning,
        Message = "Remote embedding batch to {Endpoint} failed: {Inputs} input(s), kind={FailureKind} status={StatusCode} latency={LatencyMs}ms attempts={Attempts}: {Detail}")]
    public static partial void BatchFailed(this ILogger logger, string endpoint, int inputs, RemoteFailureKind failureKind, int? statusCode, long latencyMs, int attempts, string detail);

    [LoggerMessage(EventId = 3002, EventName = "RemoteRetry", Level = LogLevel.Information,
        Message = "Retrying remote embedding request to {Endpoint} in {DelayMs}ms (retry {Retry} of {MaxRetries}): {Reason}")]
    public static partial void Retrying(this ILogger logger, string endpoint, long delayMs, int retry, int maxRetries, string reason);

    [LoggerMessage(EventId = 3003, EventName = "RemoteRateLimited", Level = LogLevel.Warning,
        Message = "Remote embedding service {Endpoint} is rate limiting; retrying in {DelayMs}ms (retry {Retry} of {MaxRetries}): {Reason}")]
    public static partial void RateLimitedRetrying(this ILogger logger, string endpoint, long delayMs, int retry, int maxRetries, string reason);

    [LoggerMessage(EventId = 3004, EventName = "RemoteCircuitOpened", Level = LogLevel.Warning,
        Message = "Circuit to remote embedding service {Endpoint} opened for {BreakMs}ms after repeated failures; calls fail at once until then. Last failure: {Reason}")]
    public static partial void CircuitOpened(this ILogger logger, string endpoint, long breakMs, string reason);

    [LoggerMessage(EventId = 3005, EventName = "RemoteCircuitHalfOpened", Level = LogLevel.Information,
        Message = "Circuit to remote embedding service {Endpoint} is half-open: probing")]
    public static partial void CircuitHalfOpened(this ILogger logger, string endpoint);

    [LoggerMessage(EventId = 3006, EventName = "RemoteCircuitClosed", Level = LogLevel.Information,
        Message = "Circuit to remote embedding service {Endpoint} closed: the service answers again")]
    public static partial void CircuitClosed(this ILogger logger, string endpoint);

    [LoggerMessage(EventId = 3007, EventName = "RemoteLegacyHostMapped", Level = LogLevel.Warning,
        Message = "The base URL points at the retired Hugging Face host {LegacyHost} (it answers 404/410); requests go to the router instead: {Endpoint}")]
    public static partial void LegacyHostMapped(this ILogger logger, string legacyHost, string endpoint);

    [LoggerMessage(EventId = 3008, EventName = "RemoteTokenLevelPooled", Level = LogLevel.Warning,
        Message = "Remote embedding service {Endpoint} returned token-level vectors for model {ModelId}; they are mean-pooled here. Use a sentence-transformers model (pooled output) for vectors that match the model's own pooling")]
    public static partial void TokenLevelPooled(this ILogger logger, string endpoint, string modelId);

    [LoggerMessage(EventId = 3009, EventName = "RemoteUsageObserverFailed", Level = LogLevel.Warning,
        Message = "An embedding usage observer threw; the record was dropped")]
    public static partial void UsageObserverFailed(this ILogger logger, Exception exception);
}
