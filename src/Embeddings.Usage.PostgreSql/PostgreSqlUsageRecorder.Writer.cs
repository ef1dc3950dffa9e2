using System.Net.Sockets;
using System.Runtime.CompilerServices;
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
        var settled = new StrongBox<int>(); // records of the batch before this index are written or refused
        CancellationToken abort = _abort.Token;
        try
        {
            while (await _queue.Reader.WaitToReadAsync(abort).ConfigureAwait(false))
            {
                TopUp(batch);
                await WriteBatchAsync(batch, settled, abort).ConfigureAwait(false);
                Settle(batch.Count);
                batch.Clear();
                settled.Value = 0;
            }
        }
        catch (OperationCanceledException) when (abort.IsCancellationRequested)
        {
            // Stopped before everything was written (the shutdown timeout elapsed).
            long lost = batch.Count - Volatile.Read(ref settled.Value);
            while (_queue.Reader.TryRead(out _))
            {
                lost++;
            }

            if (lost > 0)
            {
                Drop(lost, UsageRecorderMetrics.ShutdownReason, warn: false);
                UsageRecorderLog.RecordsLostAtShutdown(_logger, lost, _table.Name, _options.ShutdownTimeout);
            }

            Settle(lost);
        }
    }

    private void TopUp(List<EmbeddingUsageRecord> batch)
    {
        while (batch.Count < _options.BatchSize && _queue.Reader.TryRead(out EmbeddingUsageRecord? record))
        {
            batch.Add(record);
        }
    }

    /// <summary>Writes a batch: returns once every record is written or refused; retries (keeping the records, and
    /// taking more from the queue up to a full batch) while the database is unavailable; throws only when aborted.</summary>
    private async Task WriteBatchAsync(List<EmbeddingUsageRecord> batch, StrongBox<int> settled, CancellationToken abort)
    {
        TimeSpan delay = _options.RetryDelay;
        while (settled.Value < batch.Count)
        {
            // Npgsql does not always honour cancellation while it connects or waits for a hung server; the writer
            // must stop at the shutdown timeout all the same, so it leaves such an attempt behind (it ends on its own
            // timeout and disposes its connection).
            Task attempt = AttemptAsync(batch, settled, abort);
            try
            {
                await attempt.WaitAsync(abort).ConfigureAwait(false);
                MarkAvailable();
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !abort.IsCancellationRequested)
            {
                if (!IsUnavailable(ex))
                {
                    // The records cannot be written as they are (no table, no permission, or something unforeseen):
                    // retrying would only jam the queue.
                    Reject(batch.Count - settled.Value, ex);
                    settled.Value = batch.Count;
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
            catch (OperationCanceledException)
            {
                _ = attempt.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                throw;
            }
        }
    }

    /// <summary>One connection: creates the table if asked to, then writes the unsettled records with one
    /// <c>COPY</c>, or one by one when a record-level error refuses the whole <c>COPY</c>.</summary>
    private async Task AttemptAsync(List<EmbeddingUsageRecord> batch, StrongBox<int> settled, CancellationToken abort)
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

            int start = settled.Value;
            int count = batch.Count - start;
            try
            {
                await _table.WriteAsync(connection, batch, start, count, abort).ConfigureAwait(false);
                _metrics.Written(count);
                settled.Value = batch.Count;
                return;
            }
            catch (PostgresException ex) when (!IsUnavailable(ex) && IsPerRecord(ex) && count > 1)
            {
                // The COPY was all-or-nothing, so nothing of it was written: go one by one so only culprits are lost.
            }

            for (int i = start; i < batch.Count; i++)
            {
                try
                {
                    await _table.WriteAsync(connection, batch, i, 1, abort).ConfigureAwait(false);
                    _metrics.Written(1);
                }
                catch (PostgresException one) when (!IsUnavailable(one))
                {
                    Reject(1, one);
                }

                settled.Value = i + 1;
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
