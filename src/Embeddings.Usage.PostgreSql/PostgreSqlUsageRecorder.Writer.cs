using System.Net.Sockets;
using Embeddings.Diagnostics;
using Npgsql;

namespace Embeddings.Usage.PostgreSql;

/// <summary>The background writer: drains the queue in batches, retries while the database is unavailable.</summary>
public sealed partial class PostgreSqlUsageRecorder
{
    private bool _tableReady;
    private DateTimeOffset _unavailableSince;
    private long _nextUnavailableWarningTicks;

    private async Task RunAsync()
    {
        var batch = new List<EmbeddingUsageRecord>(Math.Min(_options.BatchSize, _options.QueueCapacity));
        CancellationToken abort = _abort.Token;
        try
        {
            while (await _queue.Reader.WaitToReadAsync(abort).ConfigureAwait(false))
            {
                TopUp(batch);
                await WriteBatchAsync(batch, abort).ConfigureAwait(false);
                Settle(batch.Count);
                batch.Clear();
            }
        }
        catch (OperationCanceledException) when (abort.IsCancellationRequested)
        {
            // Stopped before everything was written (the shutdown timeout elapsed).
            long lost = batch.Count;
            while (_queue.Reader.TryRead(out _))
            {
                lost++;
            }

            if (lost > 0)
            {
                Drop(lost, UsageRecorderMetrics.ShutdownReason, warn: false);
                UsageRecorderLog.RecordsLostAtShutdown(_logger, lost, _table.Name, _options.ShutdownTimeout);
                Settle(lost);
            }
        }
    }

    private void TopUp(List<EmbeddingUsageRecord> batch)
    {
        while (batch.Count < _options.BatchSize && _queue.Reader.TryRead(out EmbeddingUsageRecord? record))
        {
            batch.Add(record);
        }
    }

    /// <summary>Writes a batch: returns once every record is written or refused; retries (keeping the records) while
    /// the database is unavailable; throws only when aborted.</summary>
    private async Task WriteBatchAsync(List<EmbeddingUsageRecord> batch, CancellationToken abort)
    {
        int next = 0; // records before this index are settled (written or refused)
        TimeSpan delay = _options.RetryDelay;
        while (next < batch.Count)
        {
            try
            {
                NpgsqlConnection connection = await _dataSource.OpenConnectionAsync(abort).ConfigureAwait(false);
                await using (connection.ConfigureAwait(false))
                {
                    if (!_tableReady)
                    {
                        await _table.EnsureCreatedAsync(connection, abort).ConfigureAwait(false);
                        _tableReady = true;
                        UsageRecorderLog.TableEnsured(_logger, _table.Name);
                    }

                    try
                    {
                        await _table.WriteAsync(connection, batch, next, batch.Count - next, abort).ConfigureAwait(false);
                        _metrics.Written(batch.Count - next);
                        next = batch.Count;
                    }
                    catch (PostgresException ex) when (!IsUnavailable(ex) && IsPerRecord(ex) && batch.Count - next > 1)
                    {
                        // A record-level error (a constraint, a value out of range): write one by one so only the
                        // culprits are lost. The COPY was all-or-nothing, so nothing of it was written.
                        while (next < batch.Count)
                        {
                            try
                            {
                                await _table.WriteAsync(connection, batch, next, 1, abort).ConfigureAwait(false);
                                _metrics.Written(1);
                            }
                            catch (PostgresException one) when (!IsUnavailable(one))
                            {
                                Reject(1, one);
                            }

                            next++;
                        }
                    }
                }

                MarkAvailable();
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !abort.IsCancellationRequested)
            {
                if (!IsUnavailable(ex))
                {
                    // The records cannot be written as they are (no table, no permission, or something unforeseen):
                    // retrying would only jam the queue.
                    Reject(batch.Count - next, ex);
                    next = batch.Count;
                    if (ex is PostgresException)
                    {
                        MarkAvailable(); // the server answered
                    }

                    continue;
                }

                MarkUnavailable(ex, delay);

                // Pooled connections to a restarted server are dead; the next attempt must open a fresh one.
                _dataSource.Clear();
                double jitter = 0.8 + (0.4 * Random.Shared.NextDouble());
                await Task.Delay(delay * jitter, _timeProvider, abort).ConfigureAwait(false);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _options.MaxRetryDelay.Ticks));

                // Hold a full batch while waiting, so the queue makes room for new records; they are written together.
                TopUp(batch);
            }
        }
    }

    /// <summary>Whether the error means "the database cannot be used now" (retry later, keep the records) rather than
    /// "these records cannot be written".</summary>
    private static bool IsUnavailable(Exception ex) => ex switch
    {
        // Connection, authentication, missing database, resources, shutdown, system errors: all may pass.
        PostgresException p => p.IsTransient || p.SqlState.Length >= 2 && p.SqlState[..2] is "08" or "28" or "3D" or "53" or "57" or "58",
        NpgsqlException => true, // I/O and timeouts, without a server error
        SocketException or IOException or TimeoutException => true,
        _ => false,
    };

    /// <summary>Whether the error concerns some record's values (class 22: data exception, 23: integrity constraint)
    /// rather than the table as a whole (class 42: undefined table or column, permissions).</summary>
    private static bool IsPerRecord(PostgresException ex) => ex.SqlState.StartsWith("22", StringComparison.Ordinal) || ex.SqlState.StartsWith("23", StringComparison.Ordinal);

    private void Reject(int count, Exception ex)
    {
        string sqlState = ex is PostgresException p ? p.SqlState : ex.GetType().Name;
        string hint = sqlState == PostgresErrorCodes.UndefinedTable
            ? "Create the table with sql/ai_calls.sql, or set CreateTableIfMissing."
            : sqlState is PostgresErrorCodes.UndefinedColumn or PostgresErrorCodes.UndefinedObject
                ? "The table's columns differ from sql/ai_calls.sql."
                : string.Empty;
        UsageRecorderLog.RecordsRejected(_logger, count, _table.Name, sqlState, hint, ex);
        Drop(count, UsageRecorderMetrics.RejectedReason, warn: false);
    }

    private void MarkUnavailable(Exception ex, TimeSpan delay)
    {
        DateTimeOffset now = _timeProvider.GetUtcNow();
        string errorType = ex is PostgresException p ? "SQLSTATE " + p.SqlState : ex.GetType().Name;
        if (!_databaseUnavailable)
        {
            _unavailableSince = now;
            _databaseUnavailable = true;
        }

        if (now.UtcTicks >= _nextUnavailableWarningTicks)
        {
            _nextUnavailableWarningTicks = now.UtcTicks + _options.WarningInterval.Ticks;
            UsageRecorderLog.DatabaseUnavailable(_logger, _table.Name, errorType, delay, _options.QueueCapacity, ex);
        }
        else
        {
            UsageRecorderLog.DatabaseStillUnavailable(_logger, _table.Name, errorType, delay);
        }
    }

    private void MarkAvailable()
    {
        if (_databaseUnavailable)
        {
            _databaseUnavailable = false;
            _nextUnavailableWarningTicks = 0;
            UsageRecorderLog.DatabaseAvailable(_logger, _table.Name, _timeProvider.GetUtcNow() - _unavailableSince);
        }
    }
}
