using System.Threading.Channels;
using Embeddings.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Embeddings.Usage.PostgreSql;

/// <summary>
/// Writes every <see cref="EmbeddingUsageRecord"/> it observes to a PostgreSQL table (<c>ai_calls</c> by default),
/// off the hot path: <see cref="OnUsage"/> only puts the record in a bounded queue, and a background writer stores
/// queued records in batches with binary <c>COPY</c>.
/// </summary>
/// <remarks>
/// <para>An embedding call is never slowed down or failed by this sink. When the queue is full (the database is
/// unavailable, or slower than the calls) records are dropped; drops are counted on the
/// <c>embeddings.usage.records.dropped</c> counter of the <c>Embeddings</c> meter (tagged <c>error.type</c>:
/// <c>database_unavailable</c>, <c>queue_full</c>, <c>rejected</c> or <c>shutdown</c>) and reported by a warning at
/// most once per <see cref="PostgreSqlUsageRecorderOptions.WarningInterval"/>.</para>
/// <para>When the database fails, the writer keeps the records it holds and retries with exponential backoff; it
/// reconnects by itself when the database is back. Records the database refuses (a missing table, a constraint) are
/// dropped and logged; one bad record does not lose the others of its batch.</para>
/// <para>The writer starts when the recorder is created, so it works without dependency injection. As an
/// <see cref="IHostedService"/> (see <c>AddPostgreSqlUsageRecords</c>) it is stopped with the host; stopping or
/// disposing waits up to <see cref="PostgreSqlUsageRecorderOptions.ShutdownTimeout"/> for queued records to be
/// written. The connection string never appears in logs or exception messages.</para>
/// <para>Thread-safe.</para>
/// </remarks>
public sealed partial class PostgreSqlUsageRecorder : IEmbeddingUsageObserver, IHostedService, IAsyncDisposable, IDisposable
{
    private const string DefaultApplicationName = "Embeddings.Usage.PostgreSql";

    private readonly PostgreSqlUsageRecorderOptions _options;
    private readonly NpgsqlDataSource _dataSource;
    private readonly UsageTable _table;
    private readonly Channel<EmbeddingUsageRecord> _queue;
    private readonly ILogger _logger;
    private readonly TimeProvider _timeProvider;
    private readonly UsageRecorderMetrics _metrics;
    private readonly CancellationTokenSource _abort = new();
    private readonly Lock _progressLock = new();
    private readonly Lock _stopLock = new();
    private readonly Task _writer;
    private TaskCompletionSource _progress = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task? _stopTask;
    private long _offered;
    private long _settled;
    private long _dropped;
    private long _droppedSinceWarning;
    private long _nextDropWarningTicks;
    private int _flushWaiters;
    private int _stopping;
    private int _disposed;
    private volatile bool _databaseUnavailable;

    /// <summary>Creates a recorder and starts its background writer.</summary>
    /// <param name="options">The options; copied, so later changes have no effect.</param>
    /// <param name="loggerFactory">A logger factory, or <see langword="null"/> for no logging.</param>
    /// <param name="meterFactory">The meter factory the instruments are created from, or <see langword="null"/> for
    /// the process-wide <c>Embeddings</c> meter.</param>
    /// <param name="timeProvider">The clock for retry delays, warning intervals and the shutdown timeout; the system
    /// clock by default.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException">The options are invalid (the message lists every problem, never the
    /// connection string).</exception>
    public PostgreSqlUsageRecorder(
        PostgreSqlUsageRecorderOptions options,
        ILoggerFactory? loggerFactory = null,
        System.Diagnostics.Metrics.IMeterFactory? meterFactory = null,
        TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        Validate(options);

        _options = options.Clone();
        _logger = loggerFactory?.CreateLogger<PostgreSqlUsageRecorder>() ?? NullLogger<PostgreSqlUsageRecorder>.Instance;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _table = new UsageTable(_options.TableName);
        _metrics = new UsageRecorderMetrics(meterFactory, _options.TableName);
        _tableReady = !_options.CreateTableIfMissing;

        var builder = new NpgsqlDataSourceBuilder(_options.ConnectionString);
        if (string.IsNullOrEmpty(builder.ConnectionStringBuilder.ApplicationName))
        {
            // Lets a DBA tell these sessions apart in pg_stat_activity.
            builder.ConnectionStringBuilder.ApplicationName = DefaultApplicationName;
        }

        _dataSource = builder.Build();

        // One reader (the writer loop), many producers (every thread that completes an embedding call).
        _queue = Channel.CreateBounded<EmbeddingUsageRecord>(new BoundedChannelOptions(_options.QueueCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait, // with TryWrite: a full queue refuses at once, never waits
            SingleReader = true,
            SingleWriter = false,
            AllowSynchronousContinuations = false,
        });

        _writer = Task.Run(RunAsync);
    }

    /// <summary>Puts a record in the queue for the background writer; never blocks and never throws for a full
    /// queue or an unavailable database (the record is then dropped and counted).</summary>
    /// <param name="record">The record.</param>
    /// <exception cref="ArgumentNullException"><paramref name="record"/> is null.</exception>
    public void OnUsage(EmbeddingUsageRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);

        // Counted before the write, so a flush that starts after this call returns waits for this record.
        Interlocked.Increment(ref _offered);
        if (_queue.Writer.TryWrite(record))
        {
            return;
        }

        string reason = Volatile.Read(ref _stopping) != 0
            ? UsageRecorderMetrics.ShutdownReason
            : _databaseUnavailable ? UsageRecorderMetrics.DatabaseUnavailableReason : UsageRecorderMetrics.QueueFullReason;
        Drop(1, reason, warn: true);
        Settle(1);
    }

    /// <summary>
    /// Waits until every record given to <see cref="OnUsage"/> before this call has been written (or dropped). While
    /// the database is unavailable this waits for it to come back, so pass a token that bounds the wait.
    /// </summary>
    /// <param name="cancellationToken">Ends the wait (the records stay queued).</param>
    /// <returns>A task that completes when those records are settled.</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        long target = Interlocked.Read(ref _offered);
        Interlocked.Increment(ref _flushWaiters);
        try
        {
            while (true)
            {
                Task progress;
                lock (_progressLock)
                {
                    progress = _progress.Task;
                }

                // Read after taking the task: a settle after this read completes that very task.
                if (Interlocked.Read(ref _settled) >= target || _writer.IsCompleted)
                {
                    return;
                }

                await progress.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            Interlocked.Decrement(ref _flushWaiters);
        }
    }

    /// <summary>Does nothing: the writer started when the recorder was created.</summary>
    /// <param name="cancellationToken">Unused.</param>
    /// <returns>A completed task.</returns>
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Stops accepting records and waits up to <see cref="PostgreSqlUsageRecorderOptions.ShutdownTimeout"/> (or until
    /// <paramref name="cancellationToken"/> is cancelled) for queued records to be written; the rest are dropped and
    /// counted. Calling it again returns the same wait.
    /// </summary>
    /// <param name="cancellationToken">Cuts the wait short.</param>
    /// <returns>A task that completes when the writer has stopped.</returns>
    public Task StopAsync(CancellationToken cancellationToken)
    {
        lock (_stopLock)
        {
            return _stopTask ??= StopCoreAsync(cancellationToken);
        }
    }

    /// <summary>Stops the writer as <see cref="StopAsync"/> does, then releases the connections.</summary>
    /// <returns>A task that completes when the recorder is disposed.</returns>
    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None).ConfigureAwait(false);
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            await _dataSource.DisposeAsync().ConfigureAwait(false);
            _abort.Dispose();
        }
    }

    /// <summary>Stops the writer as <see cref="StopAsync"/> does (blocking for at most the shutdown timeout), then
    /// releases the connections. Prefer <see cref="DisposeAsync"/>.</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private static void Validate(PostgreSqlUsageRecorderOptions options)
    {
        var failures = new List<string>();
        foreach (IValidateOptions<PostgreSqlUsageRecorderOptions> validator in (IValidateOptions<PostgreSqlUsageRecorderOptions>[])
            [new PostgreSqlUsageRecorderOptionsValidator(), new PostgreSqlUsageRecorderOptionsCustomValidator()])
        {
            ValidateOptionsResult result = validator.Validate(null, options);
            if (result.Failed)
            {
                failures.AddRange(result.Failures);
            }
        }

        if (failures.Count > 0)
        {
            throw new ArgumentException("Invalid PostgreSQL usage recorder options: " + string.Join(" ", failures), nameof(options));
        }
    }

    private async Task StopCoreAsync(CancellationToken cancellationToken)
    {
        Volatile.Write(ref _stopping, 1);
        _queue.Writer.TryComplete();
        try
        {
            await _writer.WaitAsync(_options.ShutdownTimeout, _timeProvider, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // The database is slow or down: what is still queued is dropped below.
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The host ran out of patience first.
        }

        await _abort.CancelAsync().ConfigureAwait(false);
        await _writer.ConfigureAwait(false);
    }

    private void Drop(long count, string reason, bool warn)
    {
        if (count <= 0)
        {
            return;
        }

        _metrics.Dropped(count, reason);
        long total = Interlocked.Add(ref _dropped, count);
        if (!warn)
        {
            return;
        }

        Interlocked.Add(ref _droppedSinceWarning, count);
        long now = _timeProvider.GetUtcNow().UtcTicks;
        long next = Interlocked.Read(ref _nextDropWarningTicks);
        if (now >= next && Interlocked.CompareExchange(ref _nextDropWarningTicks, now + _options.WarningInterval.Ticks, next) == next)
        {
            UsageRecorderLog.RecordsDropped(_logger, Interlocked.Exchange(ref _droppedSinceWarning, 0), reason, total);
        }
    }

    private void Settle(long count)
    {
        Interlocked.Add(ref _settled, count);
        if (Volatile.Read(ref _flushWaiters) == 0)
        {
            return;
        }

        TaskCompletionSource done;
        lock (_progressLock)
        {
            done = _progress;
            _progress = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        done.TrySetResult();
    }
}
