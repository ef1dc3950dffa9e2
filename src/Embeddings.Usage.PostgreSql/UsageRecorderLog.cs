using Microsoft.Extensions.Logging;

namespace Embeddings.Usage.PostgreSql;

/// <summary>The recorder's log messages. None carries the connection string.</summary>
internal static partial class UsageRecorderLog
{
    [LoggerMessage(EventId = 7101, EventName = "UsageDatabaseUnavailable", Level = LogLevel.Warning,
        Message = "Usage records could not be written to {Table} ({ErrorType}); retrying in {RetryDelay}. Records wait in the queue (at most {QueueCapacity}) until the database is back; embedding calls are unaffected.")]
    public static partial void DatabaseUnavailable(ILogger logger, string table, string errorType, TimeSpan retryDelay, int queueCapacity, Exception exception);

    [LoggerMessage(EventId = 7102, EventName = "UsageDatabaseStillUnavailable", Level = LogLevel.Debug,
        Message = "Usage records still cannot be written to {Table} ({ErrorType}); retrying in {RetryDelay}.")]
    public static partial void DatabaseStillUnavailable(ILogger logger, string table, string errorType, TimeSpan retryDelay);

    [LoggerMessage(EventId = 7103, EventName = "UsageDatabaseAvailable", Level = LogLevel.Information,
        Message = "Usage records are written to {Table} again, after {Downtime} without the database.")]
    public static partial void DatabaseAvailable(ILogger logger, string table, TimeSpan downtime);

    [LoggerMessage(EventId = 7104, EventName = "UsageRecordsDropped", Level = LogLevel.Warning,
        Message = "{Count} usage records were dropped ({Reason}) since the last warning; {Total} in all. Embedding calls are unaffected.")]
    public static partial void RecordsDropped(ILogger logger, long count, string reason, long total);

    [LoggerMessage(EventId = 7105, EventName = "UsageRecordsRejected", Level = LogLevel.Warning,
        Message = "The database rejected {Count} usage records for {Table} (SQLSTATE {SqlState}); they were dropped. {Hint}")]
    public static partial void RecordsRejected(ILogger logger, int count, string table, string sqlState, string hint, Exception exception);

    [LoggerMessage(EventId = 7106, EventName = "UsageTableEnsured", Level = LogLevel.Debug,
        Message = "The usage table {Table} and its indexes exist.")]
    public static partial void TableEnsured(ILogger logger, string table);

    [LoggerMessage(EventId = 7107, EventName = "UsageRecordsLostAtShutdown", Level = LogLevel.Warning,
        Message = "{Count} usage records were not written to {Table} within the shutdown timeout ({ShutdownTimeout}) and were dropped.")]
    public static partial void RecordsLostAtShutdown(ILogger logger, long count, string table, TimeSpan shutdownTimeout);
}
