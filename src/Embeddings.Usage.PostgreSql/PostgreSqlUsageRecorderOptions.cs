using System.ComponentModel.DataAnnotations;

namespace Embeddings.Usage.PostgreSql;

/// <summary>
/// Configures a <see cref="PostgreSqlUsageRecorder"/>: where the usage table is, how many records may wait for it, and
/// how patiently the writer retries when the database is unavailable. Validated when the recorder is created.
/// </summary>
public sealed class PostgreSqlUsageRecorderOptions
{
    /// <summary>
    /// Gets or sets the Npgsql connection string, for example
    /// <c>Host=db;Database=app;Username=embeddings;Password=…</c>. It never appears in logs or exception messages.
    /// </summary>
    [Required]
    public string? ConnectionString { get; set; }

    /// <summary>
    /// Gets or sets the table the records are written to: a lower-case identifier, optionally schema-qualified
    /// (<c>usage.ai_calls</c>). Its columns are those of <c>sql/ai_calls.sql</c>.
    /// </summary>
    /// <value>The default is <c>ai_calls</c>.</value>
    [Required]
    [RegularExpression(PostgreSqlUsageRecorderDefaults.TableNamePattern,
        ErrorMessage = "The TableName must be a lower-case identifier ([a-z_][a-z0-9_]*, at most 63 characters), optionally schema-qualified.")]
    public string TableName { get; set; } = PostgreSqlUsageRecorderDefaults.TableName;

    /// <summary>
    /// Gets or sets whether the writer creates the table and its indexes when they are missing, before it writes the
    /// first records (<c>CREATE … IF NOT EXISTS</c>, serialized across processes by an advisory lock). Leave it off
    /// where schema changes go through migrations: apply <c>sql/ai_calls.sql</c> from the package instead.
    /// </summary>
    /// <value>The default is <see langword="false"/>.</value>
    public bool CreateTableIfMissing { get; set; }

    /// <summary>
    /// Gets or sets how many records may wait to be written. When the queue is full (the database is down or slower
    /// than the calls) further records are dropped and counted; embedding calls are never slowed down.
    /// </summary>
    /// <value>The default is 10 000.</value>
    [Range(1, PostgreSqlUsageRecorderDefaults.MaxQueueCapacity)]
    public int QueueCapacity { get; set; } = PostgreSqlUsageRecorderDefaults.QueueCapacity;

    /// <summary>Gets or sets the most records written by one <c>COPY</c>.</summary>
    /// <value>The default is 500.</value>
    [Range(1, PostgreSqlUsageRecorderDefaults.MaxBatchSize)]
    public int BatchSize { get; set; } = PostgreSqlUsageRecorderDefaults.BatchSize;

    /// <summary>Gets or sets the first delay before a write is retried after the database failed; it doubles (with
    /// jitter) up to <see cref="MaxRetryDelay"/> while the database stays unavailable.</summary>
    /// <value>The default is 1 second.</value>
    [Range(typeof(TimeSpan), PostgreSqlUsageRecorderDefaults.MinRetryDelay, PostgreSqlUsageRecorderDefaults.MaxDuration)]
    public TimeSpan RetryDelay { get; set; } = PostgreSqlUsageRecorderDefaults.RetryDelay;

    /// <summary>Gets or sets the longest delay between retries.</summary>
    /// <value>The default is 30 seconds.</value>
    [Range(typeof(TimeSpan), PostgreSqlUsageRecorderDefaults.MinRetryDelay, PostgreSqlUsageRecorderDefaults.MaxDuration)]
    public TimeSpan MaxRetryDelay { get; set; } = PostgreSqlUsageRecorderDefaults.MaxRetryDelay;

    /// <summary>
    /// Gets or sets how long stopping (or disposing) waits for queued records to be written. Records still unwritten
    /// then are dropped and counted.
    /// </summary>
    /// <value>The default is 5 seconds.</value>
    [Range(typeof(TimeSpan), PostgreSqlUsageRecorderDefaults.ZeroDuration, PostgreSqlUsageRecorderDefaults.MaxDuration)]
    public TimeSpan ShutdownTimeout { get; set; } = PostgreSqlUsageRecorderDefaults.ShutdownTimeout;

    /// <summary>Gets or sets the least time between two warnings about the same trouble (an unavailable database,
    /// dropped records), so an outage does not flood the log.</summary>
    /// <value>The default is 1 minute.</value>
    [Range(typeof(TimeSpan), PostgreSqlUsageRecorderDefaults.ZeroDuration, PostgreSqlUsageRecorderDefaults.MaxDuration)]
    public TimeSpan WarningInterval { get; set; } = PostgreSqlUsageRecorderDefaults.WarningInterval;

    internal PostgreSqlUsageRecorderOptions Clone() => (PostgreSqlUsageRecorderOptions)MemberwiseClone();
}
