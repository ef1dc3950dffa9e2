using Microsoft.Extensions.Logging;

namespace Embeddings.AspNetCore;

/// <summary>The server's log messages. Never logs inputs, vectors or tokens.</summary>
internal static partial class ServerLog
{
    [LoggerMessage(EventId = 5000, EventName = "EmbeddingsServerMapped", Level = LogLevel.Information,
        Message = "Embedding endpoints mapped: authentication={Authentication}, max batch {MaxBatchSize}, max queued inputs {MaxQueuedInputs}")]
    public static partial void Mapped(ILogger logger, string authentication, int maxBatchSize, int maxQueuedInputs);

    [LoggerMessage(EventId = 5001, EventName = "EmbeddingsServerAnonymous", Level = LogLevel.Warning,
        Message = "Embedding endpoints are served WITHOUT a bearer token (AllowAnonymous): protect them another way")]
    public static partial void Anonymous(ILogger logger);

    [LoggerMessage(EventId = 5002, EventName = "EmbeddingsServerReady", Level = LogLevel.Information,
        Message = "Embedding {Modality} model {ModelId} ready ({Dimensions} dimensions) in {ElapsedMs} ms")]
    public static partial void ModelReady(ILogger logger, string modality, string modelId, int dimensions, long elapsedMs);

    [LoggerMessage(EventId = 5003, EventName = "EmbeddingsServerStartFailed", Level = LogLevel.Error,
        Message = "The embedding {Modality} provider could not be started; the embedding endpoints answer 503")]
    public static partial void StartFailed(ILogger logger, string modality, Exception exception);

    [LoggerMessage(EventId = 5004, EventName = "EmbeddingsServerWarmUpFailed", Level = LogLevel.Warning,
        Message = "Warm-up of the embedding {Modality} model failed ({ErrorType}); serving anyway")]
    public static partial void WarmUpFailed(ILogger logger, string modality, string errorType, Exception? exception);

    [LoggerMessage(EventId = 5005, EventName = "EmbeddingsServerUnauthorized", Level = LogLevel.Debug,
        Message = "Embedding request refused: {Outcome} bearer token")]
    public static partial void Unauthorized(ILogger logger, string outcome);

    [LoggerMessage(EventId = 5006, EventName = "EmbeddingsServerQueueFull", Level = LogLevel.Warning,
        Message = "Embedding request refused with 429: {Queued} {Modality} inputs already queued (limit {Limit}); Retry-After {RetryAfterSeconds} s; {Suppressed} more refusals since the last warning")]
    public static partial void QueueFull(ILogger logger, string modality, int queued, int limit, int retryAfterSeconds, int suppressed);

    [LoggerMessage(EventId = 5007, EventName = "EmbeddingsServerBatchFailed", Level = LogLevel.Error,
        Message = "A provider call for {Inputs} {Modality} input(s) failed; its {Requests} request(s) are answered with an error")]
    public static partial void BatchFailed(ILogger logger, string modality, int inputs, int requests, Exception exception);

    [LoggerMessage(EventId = 5008, EventName = "EmbeddingsServerInputFailed", Level = LogLevel.Warning,
        Message = "Embedding request answered {StatusCode}: the model failed on {Input} ({ErrorType})")]
    public static partial void InputFailed(ILogger logger, int statusCode, string input, string errorType, Exception exception);

    [LoggerMessage(EventId = 5009, EventName = "EmbeddingsServerStopping", Level = LogLevel.Information,
        Message = "Embedding endpoints stopping: readiness now reports 503; in-flight requests finish")]
    public static partial void Stopping(ILogger logger);

    [LoggerMessage(EventId = 5010, EventName = "EmbeddingsServerStopped", Level = LogLevel.Information,
        Message = "Embedding endpoints stopped; {Dropped} queued request(s) dropped")]
    public static partial void Stopped(ILogger logger, int dropped);
}
