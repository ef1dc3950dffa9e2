using BenchmarkDotNet.Attributes;
using Embeddings.Diagnostics;
using Embeddings.TestSupport;
using Embeddings.Usage.PostgreSql;
using Npgsql;
using NpgsqlTypes;

namespace Embeddings.Benchmarks.Usage;

/// <summary>
/// Storing usage records in a real PostgreSQL on loopback: the peer is what the Python pipeline did, a synchronous
/// INSERT per call that the caller waits for; against it, what <see cref="PostgreSqlUsageRecorder.OnUsage"/> costs the
/// caller (an enqueue), and the time until the records are stored (enqueue, then batched binary COPY, then flush).
/// Figures are per record.
/// </summary>
public class UsageRecordingBenchmarks
{
    private const int Records = 1000;

    // Enough enqueues for an iteration of a few milliseconds; stored (flushed) after each iteration, unmeasured.
    private const int EnqueuedRecords = 100_000;

    private PostgreSqlServer _server = null!;
    private NpgsqlDataSource _dataSource = null!;
    private PostgreSqlUsageRecorder _recorder = null!;
    private EmbeddingUsageRecord _record = null!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _server = await PostgreSqlServer.StartAsync();
        string connectionString = _server.ConnectionString();
        _recorder = new PostgreSqlUsageRecorder(new PostgreSqlUsageRecorderOptions
        {
            ConnectionString = connectionString,
            CreateTableIfMissing = true,
            QueueCapacity = PostgreSqlUsageRecorderDefaults.MaxQueueCapacity,
        });
        _dataSource = NpgsqlDataSource.Create(connectionString);
        _record = new EmbeddingUsageRecord
        {
            Timestamp = DateTimeOffset.UtcNow,
            ProviderName = "huggingface",
            ModelId = "google/siglip2-base-patch16-224",
            Modality = EmbeddingModalities.Image,
            TaskName = "image-embedding",
            Endpoint = "https://example.invalid/embed_image",
            Inputs = 10,
            Succeeded = 10,
            Latency = TimeSpan.FromMilliseconds(183.25),
            Attempts = 1,
            Outcome = EmbeddingCallOutcome.Succeeded,
            StatusCode = 200,
            Cost = 0.001m,
        };

        // The table exists before the first measured INSERT.
        _recorder.OnUsage(_record);
        await _recorder.FlushAsync();
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _recorder.DisposeAsync();
        await _dataSource.DisposeAsync();
        await _server.DisposeAsync();
    }

    /// <summary>The peer: the caller waits for an INSERT per call (pooled connection, parameterized).</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = Records)]
    public async Task SynchronousInsertPerCall()
    {
        for (int i = 0; i < Records; i++)
        {
            await using NpgsqlConnection connection = await _dataSource.OpenConnectionAsync();
            await using var command = new NpgsqlCommand(
                """INSERT INTO ai_calls ("timestamp", provider, model, task, modality, endpoint, inputs, succeeded, latency_ms, attempts, outcome, status_code, cost) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)""",
                connection);
            command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = _record.Timestamp, NpgsqlDbType = NpgsqlDbType.TimestampTz });
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = _record.ProviderName });
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = _record.ModelId });
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = _record.TaskName });
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = "image" });
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = _record.Endpoint });
            command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = _record.Inputs });
            command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = _record.Succeeded });
            command.Parameters.Add(new NpgsqlParameter<double> { TypedValue = _record.Latency.TotalMilliseconds });
            command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = _record.Attempts });
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = "succeeded" });
            command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = 200 });
            command.Parameters.Add(new NpgsqlParameter<decimal> { TypedValue = _record.Cost!.Value });
            await command.ExecuteNonQueryAsync();
        }
    }

    /// <summary>What an embedding call pays: the enqueue (the records are stored after the iteration).</summary>
    [Benchmark(OperationsPerInvoke = EnqueuedRecords)]
    public void RecorderOnUsage()
    {
        for (int i = 0; i < EnqueuedRecords; i++)
        {
            _recorder.OnUsage(_record);
        }
    }

    [IterationCleanup(Target = nameof(RecorderOnUsage))]
    public void StoreEnqueued() => _recorder.FlushAsync().GetAwaiter().GetResult();

    /// <summary>The time until the records are stored: enqueue all, then wait for the batched COPY.</summary>
    [Benchmark(OperationsPerInvoke = Records)]
    public async Task RecorderOnUsageUntilStored()
    {
        for (int i = 0; i < Records; i++)
        {
            _recorder.OnUsage(_record);
        }

        await _recorder.FlushAsync();
    }
}
