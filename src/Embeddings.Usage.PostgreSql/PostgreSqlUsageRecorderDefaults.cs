namespace Embeddings.Usage.PostgreSql;

/// <summary>The defaults and limits of <see cref="PostgreSqlUsageRecorderOptions"/>.</summary>
internal static class PostgreSqlUsageRecorderDefaults
{
    public const string TableName = "ai_calls";
    public const int QueueCapacity = 10_000;
    public const int MaxQueueCapacity = 1_000_000;
    public const int BatchSize = 500;
    public const int MaxBatchSize = 10_000;

    // Lower-case unquoted identifiers only (optionally schema-qualified), so names need no quoting and PostgreSQL's
    // case folding cannot surprise anyone. 63 bytes is PostgreSQL's identifier limit.
    public const string TableNamePattern = "^[a-z_][a-z0-9_]{0,62}(\\.[a-z_][a-z0-9_]{0,62})?$";

    // Range attribute bounds (strings, as DataAnnotations want them for TimeSpan).
    public const string MinRetryDelay = "00:00:00.001";
    public const string ZeroDuration = "00:00:00";
    public const string MaxDuration = "1.00:00:00";

    public static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan WarningInterval = TimeSpan.FromMinutes(1);
}
