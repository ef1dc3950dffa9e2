using System.Diagnostics;
using Embeddings.Diagnostics;
using Embeddings.Remote;
using Embeddings.TestSupport;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Embeddings.Usage.PostgreSql;

/// <summary>Providers, records and queries shared by the usage-record tests.</summary>
internal static class UsageTestHelpers
{
    public const string ModelId = "test-org/test-model";

    /// <summary>Gets the shipped migration file.</summary>
    public static string MigrationFile => Path.Combine(TestAssets.RepoRoot, "src", "Embeddings.Usage.PostgreSql", "sql", "ai_calls.sql");

    /// <summary>Gets the shipped cost-per-day query, the one the package README documents.</summary>
    public static string CostPerDayFile => Path.Combine(TestAssets.RepoRoot, "src", "Embeddings.Usage.PostgreSql", "sql", "cost-per-day.sql");

    /// <summary>Options for a recorder on a test database: short retry delays.</summary>
    public static PostgreSqlUsageRecorderOptions RecorderOptions(string connectionString, Action<PostgreSqlUsageRecorderOptions>? configure = null)
    {
        var options = new PostgreSqlUsageRecorderOptions
        {
            ConnectionString = connectionString,
            CreateTableIfMissing = true,
            RetryDelay = TimeSpan.FromMilliseconds(20),
            MaxRetryDelay = TimeSpan.FromMilliseconds(200),
            ShutdownTimeout = TimeSpan.FromSeconds(10),
        };
        configure?.Invoke(options);
        return options;
    }

    /// <summary>A remote provider (TEI protocol) on the fake server: 10 ms retry delays, 3 retries, breaker off.</summary>
    public static HuggingFaceProvider Provider(
        HttpClient client, FaultInjectingServer server, IEmbeddingUsageObserver? observer, Action<HuggingFaceProviderOptions>? configure = null, TimeProvider? timeProvider = null)
    {
        var options = new HuggingFaceProviderOptions
        {
            BaseUrl = server.BaseUrl,
            ModelId = ModelId,
            Protocol = RemoteProtocol.TextEmbeddingsInference,
            Timeout = TimeSpan.FromSeconds(5),
            MaxRetries = 3,
            RetryDelay = TimeSpan.FromMilliseconds(10),
            MaxRetryDelay = TimeSpan.FromMilliseconds(50),
        };
        options.CircuitBreaker.Enabled = false;
        configure?.Invoke(options);
        return new HuggingFaceProvider(client, options, logger: null, timeProvider, observer);
    }

    public static EmbeddingInput[] Texts(int count, string prefix = "text") =>
        [.. Enumerable.Range(0, count).Select(i => EmbeddingInput.FromText($"{prefix} {i}"))];

    /// <summary>A record as a remote provider would make it.</summary>
    public static EmbeddingUsageRecord Record(int inputs = 1, string provider = "huggingface", DateTimeOffset? timestamp = null, decimal? cost = null) => new()
    {
        Timestamp = timestamp ?? DateTimeOffset.UtcNow,
        ProviderName = provider,
        ModelId = ModelId,
        Modality = EmbeddingModalities.Text,
        TaskName = "embed",
        Inputs = inputs,
        Succeeded = inputs,
        Latency = TimeSpan.FromMilliseconds(12.5),
        Attempts = 1,
        Outcome = EmbeddingCallOutcome.Succeeded,
        StatusCode = 200,
        Cost = cost,
    };

    /// <summary>Runs a query and returns its rows as column → value (DBNull as null).</summary>
    public static async Task<List<Dictionary<string, object?>>> QueryAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        await using NpgsqlDataReader reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        var rows = new List<Dictionary<string, object?>>();
        while (await reader.ReadAsync(TestContext.Current.CancellationToken))
        {
            var row = new Dictionary<string, object?>();
            for (int i = 0; i < reader.FieldCount; i++)
            {
                row[reader.GetName(i)] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }

            rows.Add(row);
        }

        return rows;
    }

    public static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
    }

    public static async Task<long> CountAsync(string connectionString, string table = "ai_calls") =>
        (long)(await QueryAsync(connectionString, $"SELECT count(*) AS n FROM {table}"))[0]["n"]!;

    /// <summary>Flushes with a bound, so a broken writer fails the test instead of hanging it.</summary>
    public static async Task FlushAsync(PostgreSqlUsageRecorder recorder, int seconds = 30)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(seconds));
        await recorder.FlushAsync(timeout.Token);
    }

    /// <summary>Waits until a condition holds, or fails after a bound.</summary>
    public static async Task WaitUntilAsync(Func<bool> condition, string what, int seconds = 15)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(seconds), $"Timed out waiting for {what}.");
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }
    }

    public static ILoggerFactory LoggerFactory(CapturingLoggerProvider provider) =>
        Microsoft.Extensions.Logging.LoggerFactory.Create(b => b.AddProvider(provider).SetMinimumLevel(LogLevel.Trace));

    /// <summary>Times one call of two texts, asserting it succeeded; in milliseconds.</summary>
    public static async Task<double> TimeCallAsync(IEmbeddingProvider provider, CancellationToken ct)
    {
        long start = Stopwatch.GetTimestamp();
        IReadOnlyList<EmbeddingResult> results = await provider.EmbedAsync(Texts(2), cancellationToken: ct);
        double ms = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        Assert.All(results, r => Assert.True(r.Succeeded));
        return ms;
    }

    /// <summary>Times calls alternately through two providers (so that both see the same machine load) and returns
    /// the median of each, in milliseconds.</summary>
    public static async Task<(double MedianWith, double MedianWithout)> CompareLatencyAsync(
        IEmbeddingProvider with, IEmbeddingProvider without, int calls, CancellationToken ct)
    {
        var withTimes = new List<double>(calls);
        var withoutTimes = new List<double>(calls);
        for (int i = 0; i < calls; i++)
        {
            withoutTimes.Add(await TimeCallAsync(without, ct));
            withTimes.Add(await TimeCallAsync(with, ct));
        }

        return (Median(withTimes), Median(withoutTimes));
    }

    /// <summary>Asserts the sink did not slow calls down: its median within 1.5× plus 2 ms of the median without.</summary>
    public static void AssertLatencyUnaffected(double medianWith, double medianWithout, string situation)
    {
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{situation}: median call {medianWith:F3} ms with the sink, {medianWithout:F3} ms without");
        Assert.True(
            medianWith <= (medianWithout * 1.5) + 2.0,
            $"{situation}: median call with the sink {medianWith:F3} ms, without {medianWithout:F3} ms: the sink must not slow calls down.");
    }

    private static double Median(List<double> values)
    {
        double[] sorted = [.. values.Order()];
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
