using Microsoft.Extensions.Logging;

namespace Embeddings.Composition;

/// <summary>The cache's log messages.</summary>
internal static partial class EmbeddingCacheLog
{
    [LoggerMessage(EventId = 3001, Level = LogLevel.Warning,
        Message = "The embedding cache ({Backend}) failed to {Operation} ({ErrorType}); embeddings are computed without it. {Suppressed} further cache failures were not logged since the last warning.")]
    public static partial void CacheFailed(ILogger logger, string backend, string operation, string errorType, int suppressed, Exception? exception);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning,
        Message = "The embedding cache ({Backend}) failed {Failures} times in a row; it is bypassed for {BreakDuration}.")]
    public static partial void CacheBypassed(ILogger logger, string backend, int failures, TimeSpan breakDuration);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Debug,
        Message = "A value in the embedding cache ({Backend}) did not match its key's model, options or format and was ignored.")]
    public static partial void CorruptValue(ILogger logger, string backend);
}
