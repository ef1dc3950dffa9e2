using System.Globalization;
using Embeddings.Diagnostics;
using Embeddings.TestSupport;
using static Embeddings.Usage.PostgreSql.UsageTestHelpers;

namespace Embeddings.Usage.PostgreSql;

/// <summary>Rows written for real remote calls (the provider against the fault-injecting server) into a real
/// PostgreSQL, and the documented cost query over them.</summary>
[Collection(PostgreSqlCollection.Name)]
public sealed class PostgreSqlUsageRecorderTests(PostgreSqlFixture fixture)
{
    private PostgreSqlServer Db => fixture.Server;

    [Fact]
    public async Task OnUsage_RemoteCallsSucceedAndFail_WritesOneRowPerCallWithItsOutcome()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        string cs = await Db.CreateDatabaseAsync(ct);
        await using FaultInjectingServer server = await FaultInjectingServer.StartAsync();
        await using var recorder = new PostgreSqlUsageRecorder(RecorderOptions(cs));
        using var client = new HttpClient();
        using var provider = Provider(client, server, recorder);
        DateTimeOffset before = DateTimeOffset.UtcNow;

        IReadOnlyList<EmbeddingResult> ok = await provider.EmbedAsync(Texts(3), cancellationToken: ct);
        server.EnqueueFaults(ServerFault.Status(503), ServerFault.Status(503));
        IReadOnlyList<EmbeddingResult> retried = await provider.EmbedAsync(Texts(2), cancellationToken: ct);
        server.EnqueueFaults(ServerFault.Status(400));
        IReadOnlyList<EmbeddingResult> refused = await provider.EmbedAsync(Texts(1), cancellationToken: ct);
        server.Fault = ServerFault.Status(500);
        IReadOnlyList<EmbeddingResult> broken = await provider.EmbedAsync(Texts(2), cancellationToken: ct);
        server.Fault = ServerFault.None;
        DateTimeOffset after = DateTimeOffset.UtcNow;
        await FlushAsync(recorder);

        Assert.All(ok.Concat(retried), r => Assert.True(r.Succeeded));
        Assert.All(refused.Concat(broken), r => Assert.False(r.Succeeded));
        List<Dictionary<string, object?>> rows = await QueryAsync(cs, "SELECT * FROM ai_calls ORDER BY id");
        Assert.Equal(4, rows.Count);

        // inputs, succeeded, attempts, outcome, failure_kind, status_code — per call, in call order.
        (int Inputs, int Succeeded, int Attempts, string Outcome, string? FailureKind, int? Status)[] expected =
        [
            (3, 3, 1, "succeeded", null, 200),
            (2, 2, 3, "succeeded", null, 200),
            (1, 0, 1, "failed", "http_status", 400), // 4xx other than 408/429: not retried
            (2, 0, 4, "failed", "http_status", 500), // 1 + MaxRetries (3)
        ];
        for (int i = 0; i < rows.Count; i++)
        {
            Dictionary<string, object?> row = rows[i];
            Assert.Equal(expected[i].Inputs, row["inputs"]);
            Assert.Equal(expected[i].Succeeded, row["succeeded"]);
            Assert.Equal(expected[i].Attempts, row["attempts"]);
            Assert.Equal(expected[i].Outcome, row["outcome"]);
            Assert.Equal(expected[i].FailureKind, row["failure_kind"]);
            Assert.Equal(expected[i].Status, row["status_code"]);
            Assert.Equal("huggingface", row["provider"]);
            Assert.Equal(ModelId, row["model"]);
            Assert.Equal("embed", row["task"]);
            Assert.Equal("text", row["modality"]);
            Assert.Equal(new Uri(server.BaseUrl, "embed").ToString(), row["endpoint"]);
            Assert.Null(row["fallback_reason"]);
            Assert.Null(row["input_tokens"]); // TEI reports no usage
            Assert.Null(row["cost"]); // no price configured: never invented
            var timestamp = (DateTime)row["timestamp"]!;
            Assert.Equal(DateTimeKind.Utc, timestamp.Kind);
            Assert.InRange(timestamp, before.UtcDateTime.AddMilliseconds(-1), after.UtcDateTime.AddMilliseconds(1));
            Assert.True((double)row["latency_ms"]! > 0);
        }

        // Every request the server saw is accounted for in the attempts column.
        Assert.Equal(server.TotalRequests, rows.Sum(r => (int)r["attempts"]!));

        // The call that retried twice waited at least its two retry delays.
        Assert.True((double)rows[1]["latency_ms"]! >= 2 * 10 * 0.5, $"latency_ms {rows[1]["latency_ms"]}");
    }

    [Fact]
    public async Task OnUsage_FallbackReasonSet_IsStoredInItsColumn()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        string cs = await Db.CreateDatabaseAsync(ct);
        await using FaultInjectingServer server = await FaultInjectingServer.StartAsync();
        await using var recorder = new PostgreSqlUsageRecorder(RecorderOptions(cs));

        // What a fallback provider does once local inference served the inputs of a failed remote call.
        var stamping = new FallbackStampingObserver(recorder, "remote unavailable: http_status");
        using var client = new HttpClient();
        using var provider = Provider(client, server, stamping, o => o.MaxRetries = 0);

        await provider.EmbedAsync(Texts(2), cancellationToken: ct);
        server.Fault = ServerFault.Status(503);
        await provider.EmbedAsync(Texts(2), cancellationToken: ct);
        await FlushAsync(recorder);

        List<Dictionary<string, object?>> rows = await QueryAsync(cs, "SELECT outcome, status_code, fallback_reason FROM ai_calls ORDER BY id");
        Assert.Equal(2, rows.Count);
        Assert.Equal("succeeded", rows[0]["outcome"]);
        Assert.Null(rows[0]["fallback_reason"]);
        Assert.Equal("failed", rows[1]["outcome"]);
        Assert.Equal(503, rows[1]["status_code"]);
        Assert.Equal("remote unavailable: http_status", rows[1]["fallback_reason"]);
    }

    [Fact]
    public async Task CostPerDayQuery_PriceConfigured_ReturnsEachDaysTotals()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        string cs = await Db.CreateDatabaseAsync(ct);
        const decimal price = 0.0001m;
        (DateTime dayA, DateTime dayB) = await MakeCallsOverTwoDaysAsync(cs, price);

        List<Dictionary<string, object?>> rows = await QueryAsync(cs, await File.ReadAllTextAsync(CostPerDayFile, ct));

        // Day A: 3 + 2 inputs embedded. Day B: 4 embedded, then a failed call of 2 (costs nothing). The other
        // provider's row and the 40-day-old row are outside the query.
        Assert.Equal(2, rows.Count);
        AssertDay(rows[0], dayA, calls: 2, inputs: 5, embedded: 5, cost: 5 * price);
        AssertDay(rows[1], dayB, calls: 2, inputs: 6, embedded: 4, cost: 4 * price);
    }

    [Fact]
    public async Task CostPerDayQuery_NoPriceConfigured_CostIsNull()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        string cs = await Db.CreateDatabaseAsync(ct);
        (DateTime dayA, DateTime dayB) = await MakeCallsOverTwoDaysAsync(cs, price: null);

        List<Dictionary<string, object?>> rows = await QueryAsync(cs, await File.ReadAllTextAsync(CostPerDayFile, ct));

        Assert.Equal(2, rows.Count);
        AssertDay(rows[0], dayA, calls: 2, inputs: 5, embedded: 5, cost: null);
        AssertDay(rows[1], dayB, calls: 2, inputs: 6, embedded: 4, cost: null);
        Assert.Equal(0, await CountWhereAsync(cs, "provider = 'huggingface' AND timestamp > now() - interval '30 days' AND cost IS NOT NULL"));
    }

    [Fact]
    public void CostPerDayQuery_PackageReadme_DocumentsTheFileTheTestsRun()
    {
        string readme = File.ReadAllText(Path.Combine(TestAssets.RepoRoot, "src", "Embeddings.Usage.PostgreSql", "PACKAGE.md"));
        string query = File.ReadAllText(CostPerDayFile).Trim();

        Assert.Contains(query, readme.Replace("\r\n", "\n", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OnUsage_OneRecordRefusedByTheDatabase_OthersOfItsBatchAreWritten()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        string cs = await Db.CreateDatabaseAsync(ct);
        await ExecuteAsync(cs, await File.ReadAllTextAsync(MigrationFile, ct));
        await ExecuteAsync(cs, "ALTER TABLE ai_calls ADD CONSTRAINT inputs_below_1000 CHECK (inputs < 1000)");
        using var meters = new RecordingMeterFactory();
        var logs = new CapturingLoggerProvider();
        using var loggerFactory = LoggerFactory(logs);
        await using var recorder = new PostgreSqlUsageRecorder(
            RecorderOptions(cs, o => o.CreateTableIfMissing = false), loggerFactory, meters);

        await EnqueueAsOneBatchAsync(cs, recorder, [.. Enumerable.Range(0, 10).Select(i => Record(inputs: i == 5 ? 5000 : i + 1))]);
        await FlushAsync(recorder);

        List<Dictionary<string, object?>> rows = await QueryAsync(cs, "SELECT inputs FROM ai_calls ORDER BY inputs");
        Assert.Equal([1, 2, 3, 4, 5, 7, 8, 9, 10], rows.Select(r => (int)r["inputs"]!));
        Assert.Equal(9, meters.Sum(UsageRecorderMetrics.WrittenName));
        Assert.Equal(1, meters.Sum(UsageRecorderMetrics.DroppedName, (UsageRecorderMetrics.ReasonTag, UsageRecorderMetrics.RejectedReason)));
        CapturedLog rejected = Assert.Single(logs.Entries, e => e.EventId.Id == 7105);
        Assert.Contains("1 usage records", rejected.Message, StringComparison.Ordinal);
        Assert.Contains("23514", rejected.Message, StringComparison.Ordinal); // check_violation
    }

    [Fact]
    public async Task OnUsage_RecordTextPostgreSqlCannotStore_OnlyThatRecordIsLost()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        string cs = await Db.CreateDatabaseAsync(ct);
        using var meters = new RecordingMeterFactory();
        await using var recorder = new PostgreSqlUsageRecorder(RecorderOptions(cs, o => o.BatchSize = 100), meterFactory: meters);
        recorder.OnUsage(Record());
        await FlushAsync(recorder); // the table exists

        // PostgreSQL text cannot hold U+0000.
        await EnqueueAsOneBatchAsync(cs, recorder, [.. Enumerable.Range(0, 6).Select(i => i == 3 ? Record() with { ModelId = "bad\0model" } : Record(inputs: 10 + i))]);
        await FlushAsync(recorder);

        Assert.Equal(6, await CountAsync(cs));
        Assert.Equal(1, meters.Sum(UsageRecorderMetrics.DroppedName, (UsageRecorderMetrics.ReasonTag, UsageRecorderMetrics.RejectedReason)));
    }

    [Fact]
    public async Task OnUsage_TableMissingAndNotCreated_RecordsAreRejectedWithAHint()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        string cs = await Db.CreateDatabaseAsync(ct);
        using var meters = new RecordingMeterFactory();
        var logs = new CapturingLoggerProvider();
        using var loggerFactory = LoggerFactory(logs);
        await using var recorder = new PostgreSqlUsageRecorder(RecorderOptions(cs, o => o.CreateTableIfMissing = false), loggerFactory, meters);

        recorder.OnUsage(Record());
        recorder.OnUsage(Record());
        await FlushAsync(recorder);

        Assert.Equal(2, meters.Sum(UsageRecorderMetrics.DroppedName, (UsageRecorderMetrics.ReasonTag, UsageRecorderMetrics.RejectedReason)));
        Assert.All(logs.Entries.Where(e => e.EventId.Id == 7105), e => Assert.Contains("sql/ai_calls.sql", e.Message, StringComparison.Ordinal));
        Assert.Contains(logs.Entries, e => e.EventId.Id == 7105);
    }

    [Fact]
    public async Task DisposeAsync_RecordsQueued_WritesThemAllBeforeReturning()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        string cs = await Db.CreateDatabaseAsync(ct);
        using var meters = new RecordingMeterFactory();
        var recorder = new PostgreSqlUsageRecorder(RecorderOptions(cs, o => o.BatchSize = 50), meterFactory: meters);

        for (int i = 0; i < 1000; i++)
        {
            recorder.OnUsage(Record(inputs: 1 + (i % 7)));
        }

        await recorder.DisposeAsync();

        Assert.Equal(1000, await CountAsync(cs));
        Assert.Equal(1000, meters.Sum(UsageRecorderMetrics.WrittenName));
        Assert.Equal(0, meters.Sum(UsageRecorderMetrics.DroppedName));
        Assert.Equal(Enumerable.Range(0, 1000).Sum(i => 1 + (i % 7)), (long)(await QueryAsync(cs, "SELECT sum(inputs) AS s FROM ai_calls"))[0]["s"]!);
    }

    [Fact]
    public async Task OnUsage_RecordWithAnOffsetAndEveryOptionalValue_RoundTrips()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        string cs = await Db.CreateDatabaseAsync(ct);
        await using var recorder = new PostgreSqlUsageRecorder(RecorderOptions(cs));
        var started = new DateTimeOffset(2026, 3, 1, 23, 30, 0, TimeSpan.FromHours(-5)); // 04:30 UTC on 2 March
        recorder.OnUsage(new EmbeddingUsageRecord
        {
            Timestamp = started,
            ProviderName = "huggingface",
            ModelId = "google/siglip2-base-patch16-224",
            Modality = EmbeddingModalities.Image,
            TaskName = "image-embedding",
            Endpoint = "https://example.invalid/embed_image",
            Inputs = 4,
            Succeeded = 3,
            Latency = TimeSpan.FromMilliseconds(1234.5),
            Attempts = 2,
            Outcome = EmbeddingCallOutcome.Failed,
            FailureKind = RemoteFailureKind.MalformedResponse,
            StatusCode = 200,
            FallbackReason = "malformed response",
            InputTokens = 77,
            Cost = 0.000123456789m,
        });
        await FlushAsync(recorder);

        Dictionary<string, object?> row = Assert.Single(await QueryAsync(cs, "SELECT * FROM ai_calls"));
        Assert.Equal(new DateTime(2026, 3, 2, 4, 30, 0, DateTimeKind.Utc), row["timestamp"]);
        Assert.Equal("image", row["modality"]);
        Assert.Equal("image-embedding", row["task"]);
        Assert.Equal("https://example.invalid/embed_image", row["endpoint"]);
        Assert.Equal(1234.5, row["latency_ms"]);
        Assert.Equal("malformed_response", row["failure_kind"]);
        Assert.Equal("malformed response", row["fallback_reason"]);
        Assert.Equal(77, row["input_tokens"]);
        Assert.Equal(0.000123456789m, row["cost"]); // numeric: no rounding
    }

    [Fact]
    public async Task Migration_ShippedFile_CreatesTheSameTableAsTheStartupMigration()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        string byFile = await Db.CreateDatabaseAsync(ct);
        string byRecorder = await Db.CreateDatabaseAsync(ct);
        await ExecuteAsync(byFile, await File.ReadAllTextAsync(MigrationFile, ct));
        await ExecuteAsync(byFile, await File.ReadAllTextAsync(MigrationFile, ct)); // idempotent
        await using (var recorder = new PostgreSqlUsageRecorder(RecorderOptions(byRecorder)))
        {
            recorder.OnUsage(Record());
            await FlushAsync(recorder);
        }

        // A recorder that does not create the table writes into the file-made one.
        await using (var recorder = new PostgreSqlUsageRecorder(RecorderOptions(byFile, o => o.CreateTableIfMissing = false)))
        {
            recorder.OnUsage(Record());
            await FlushAsync(recorder);
        }

        Assert.Equal(1, await CountAsync(byFile));
        Assert.Equal(1, await CountAsync(byRecorder));
        Assert.Equal(await SchemaAsync(byFile), await SchemaAsync(byRecorder));
        Assert.Equal(3, (await SchemaAsync(byFile)).Count(line => line.Contains(" INDEX ", StringComparison.Ordinal) && !line.Contains("_pkey", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task CreateTableIfMissing_SchemaQualifiedName_CreatesTableAndIndexesInThatSchema()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        string cs = await Db.CreateDatabaseAsync(ct);
        await ExecuteAsync(cs, "CREATE SCHEMA usage");
        await using (var recorder = new PostgreSqlUsageRecorder(RecorderOptions(cs, o => o.TableName = "usage.embedding_calls")))
        {
            recorder.OnUsage(Record());
            await FlushAsync(recorder);
        }

        Assert.Equal(1, await CountAsync(cs, "usage.embedding_calls"));
        List<Dictionary<string, object?>> indexes = await QueryAsync(cs, "SELECT indexname FROM pg_indexes WHERE schemaname = 'usage' ORDER BY 1");
        Assert.Equal(
            ["embedding_calls_model_timestamp_idx", "embedding_calls_pkey", "embedding_calls_provider_timestamp_idx", "embedding_calls_timestamp_idx"],
            indexes.Select(r => (string)r["indexname"]!));
        Assert.Empty(await QueryAsync(cs, "SELECT 1 FROM pg_tables WHERE tablename = 'ai_calls'"));
    }

    [Fact]
    public async Task CreateTableIfMissing_ManyRecordersStartingAtOnce_AllWrite()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        string cs = await Db.CreateDatabaseAsync(ct);
        PostgreSqlUsageRecorder[] recorders = [.. Enumerable.Range(0, 4).Select(_ => new PostgreSqlUsageRecorder(RecorderOptions(cs)))];
        try
        {
            foreach (PostgreSqlUsageRecorder recorder in recorders)
            {
                recorder.OnUsage(Record());
            }

            await Task.WhenAll(recorders.Select(r => FlushAsync(r)));
        }
        finally
        {
            foreach (PostgreSqlUsageRecorder recorder in recorders)
            {
                await recorder.DisposeAsync();
            }
        }

        Assert.Equal(4, await CountAsync(cs));
    }

    [Fact]
    public async Task Errors_WrongPassword_NeitherLogsNorMetricsCarryTheConnectionString()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        const string wrongPassword = "not-the-password-91d3";
        string cs = Db.ConnectionString().Replace(PostgreSqlServer.Password, wrongPassword, StringComparison.Ordinal);
        var logs = new CapturingLoggerProvider();
        using var loggerFactory = LoggerFactory(logs);
        using var meters = new RecordingMeterFactory();
        var recorder = new PostgreSqlUsageRecorder(
            RecorderOptions(cs, o => o.ShutdownTimeout = TimeSpan.FromMilliseconds(200)), loggerFactory, meters);

        recorder.OnUsage(Record());
        await WaitUntilAsync(() => logs.Entries.Any(e => e.EventId.Id == 7101), "the database-unavailable warning");
        await recorder.DisposeAsync();

        CapturedLog warning = logs.Entries.First(e => e.EventId.Id == 7101);
        Assert.Contains("28P01", warning.Message, StringComparison.Ordinal); // invalid_password: treated as unavailable
        Assert.DoesNotContain(wrongPassword, logs.AllText, StringComparison.Ordinal);
        Assert.DoesNotContain("Password=", logs.AllText, StringComparison.OrdinalIgnoreCase);
        Assert.All(meters.Measurements, m => Assert.DoesNotContain(m.Tags.Values, v => v is string s && s.Contains(wrongPassword, StringComparison.Ordinal)));
        Assert.Equal(1, meters.Sum(UsageRecorderMetrics.DroppedName, (UsageRecorderMetrics.ReasonTag, UsageRecorderMetrics.ShutdownReason)));
    }

    [Fact]
    public void Constructor_InvalidOptions_ListsEveryProblemButNotTheConnectionString()
    {
        var options = new PostgreSqlUsageRecorderOptions
        {
            ConnectionString = "Host=db;Password=hunter2-secret;No Such Keyword=1",
            TableName = "AI-Calls; DROP TABLE x",
            QueueCapacity = 0,
            RetryDelay = TimeSpan.FromSeconds(10),
            MaxRetryDelay = TimeSpan.FromSeconds(1),
        };

        ArgumentException error = Assert.Throws<ArgumentException>(() => new PostgreSqlUsageRecorder(options));

        Assert.Contains("The ConnectionString is not a valid Npgsql connection string.", error.Message, StringComparison.Ordinal);
        Assert.Contains("The TableName must be a lower-case identifier", error.Message, StringComparison.Ordinal);
        Assert.Contains("QueueCapacity", error.Message, StringComparison.Ordinal);
        Assert.Contains("MaxRetryDelay must not be shorter than RetryDelay.", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_NoConnectionString_SaysItIsRequired()
    {
        ArgumentException error = Assert.Throws<ArgumentException>(() => new PostgreSqlUsageRecorder(new PostgreSqlUsageRecorderOptions()));

        Assert.Contains("ConnectionString", error.Message, StringComparison.Ordinal);
        Assert.Contains("required", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    private static void AssertDay(Dictionary<string, object?> row, DateTime day, long calls, long inputs, long embedded, decimal? cost)
    {
        Assert.Equal(day, row["day"]);
        Assert.Equal(calls, row["calls"]);
        Assert.Equal(inputs, row["inputs"]);
        Assert.Equal(embedded, row["embedded"]);
        Assert.Equal(cost, (decimal?)row["cost"]);
    }

    /// <summary>Holds a lock on the table while the records are queued, so that they pile up and reach the writer
    /// together (the first may be taken alone, before the lock stops it).</summary>
    private static async Task EnqueueAsOneBatchAsync(string cs, PostgreSqlUsageRecorder recorder, IReadOnlyList<EmbeddingUsageRecord> records)
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        await using var blocker = new Npgsql.NpgsqlConnection(cs);
        await blocker.OpenAsync(ct);
        await using Npgsql.NpgsqlTransaction transaction = await blocker.BeginTransactionAsync(ct);
        await using (var lockTable = new Npgsql.NpgsqlCommand("LOCK TABLE ai_calls IN ACCESS EXCLUSIVE MODE", blocker, transaction))
        {
            await lockTable.ExecuteNonQueryAsync(ct);
        }

        foreach (EmbeddingUsageRecord record in records)
        {
            recorder.OnUsage(record);
        }

        await transaction.CommitAsync(ct);
    }

    private static async Task<long> CountWhereAsync(string cs, string condition) =>
        (long)(await QueryAsync(cs, $"SELECT count(*) AS n FROM ai_calls WHERE {condition}"))[0]["n"]!;

    private static async Task<List<string>> SchemaAsync(string cs)
    {
        List<Dictionary<string, object?>> columns = await QueryAsync(cs,
            "SELECT column_name, data_type, is_nullable, is_identity, ordinal_position FROM information_schema.columns WHERE table_name = 'ai_calls' ORDER BY ordinal_position");
        List<Dictionary<string, object?>> indexes = await QueryAsync(cs, "SELECT indexdef FROM pg_indexes WHERE tablename = 'ai_calls' ORDER BY indexname");
        return
        [
            .. columns.Select(c => string.Join(' ', c.Values.Select(v => Convert.ToString(v, CultureInfo.InvariantCulture)))),
            .. indexes.Select(i => (string)i["indexdef"]!),
        ];
    }

    /// <summary>Makes remote calls stamped on two days at noon UTC (3 and 2 days ago) through a recorder, plus two rows
    /// the cost query must leave out, and returns the two days.</summary>
    private async Task<(DateTime DayA, DateTime DayB)> MakeCallsOverTwoDaysAsync(string cs, decimal? price)
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        await using FaultInjectingServer server = await FaultInjectingServer.StartAsync();
        await using var recorder = new PostgreSqlUsageRecorder(RecorderOptions(cs));
        var clock = new ShiftableTimeProvider();
        DateTime dayA = DateTime.UtcNow.Date.AddDays(-3);
        clock.Advance(new DateTimeOffset(dayA.AddHours(12)) - clock.GetUtcNow());
        using var client = new HttpClient();
        using var provider = Provider(client, server, recorder, o =>
        {
            o.PricePerInput = price;
            o.MaxRetries = 0;
        }, clock);

        await provider.EmbedAsync(Texts(3), cancellationToken: ct);
        await provider.EmbedAsync(Texts(2), cancellationToken: ct);
        clock.Advance(TimeSpan.FromDays(1));
        await provider.EmbedAsync(Texts(4), cancellationToken: ct);
        server.Fault = ServerFault.Status(503);
        IReadOnlyList<EmbeddingResult> failed = await provider.EmbedAsync(Texts(2), cancellationToken: ct);
        Assert.All(failed, r => Assert.False(r.Succeeded));

        // Another provider's call on day A, and a call 40 days ago: outside the query.
        recorder.OnUsage(Record(inputs: 9, provider: "other", timestamp: new DateTimeOffset(dayA.AddHours(13)), cost: 1m));
        recorder.OnUsage(Record(inputs: 9, timestamp: DateTimeOffset.UtcNow.AddDays(-40), cost: 1m));
        await FlushAsync(recorder);
        return (dayA, dayA.AddDays(1));
    }

    /// <summary>Sets the fallback reason on failed calls' records, as a fallback provider that served them locally
    /// would, and passes every record on.</summary>
    private sealed class FallbackStampingObserver(IEmbeddingUsageObserver inner, string reason) : IEmbeddingUsageObserver
    {
        public void OnUsage(EmbeddingUsageRecord record) =>
            inner.OnUsage(record.Outcome == EmbeddingCallOutcome.Failed ? record with { FallbackReason = reason } : record);
    }
}
