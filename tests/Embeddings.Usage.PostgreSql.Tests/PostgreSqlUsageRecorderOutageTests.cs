using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Embeddings.TestSupport;
using static Embeddings.Usage.PostgreSql.UsageTestHelpers;

namespace Embeddings.Usage.PostgreSql;

/// <summary>The database goes away and comes back (its own server: these tests stop it).</summary>
public sealed class PostgreSqlUsageRecorderOutageTests(PostgreSqlFixture fixture) : IClassFixture<PostgreSqlFixture>
{
    private PostgreSqlServer Db => fixture.Server;

    [Fact]
    public async Task DatabaseDown_CallsKeepTheirLatencyDropsAreCountedAndWritingResumesWhenItIsBack()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        string cs = await Db.CreateDatabaseAsync(ct);
        await using FaultInjectingServer server = await FaultInjectingServer.StartAsync();
        using var meters = new RecordingMeterFactory();
        var logs = new CapturingLoggerProvider();
        using var loggerFactory = LoggerFactory(logs);
        using var client = new HttpClient();
        using var withoutSink = Provider(client, server, observer: null);
        await Db.StopAsync(ct);
        try
        {
            // Created while the database is down: the table is created once it is back.
            await using var recorder = new PostgreSqlUsageRecorder(
                RecorderOptions(cs, o =>
                {
                    o.QueueCapacity = 8;
                    o.BatchSize = 4;
                    o.MaxRetryDelay = TimeSpan.FromMilliseconds(100);
                }),
                loggerFactory,
                meters);
            using var withSink = Provider(client, server, recorder);
            int offered = 0;
            for (int i = 0; i < 5; i++)
            {
                await withoutSink.EmbedAsync(Texts(2), cancellationToken: ct);
                await withSink.EmbedAsync(Texts(2), cancellationToken: ct);
                offered++;
            }

            await WaitUntilAsync(() => logs.Entries.Any(e => e.EventId.Id == 7101), "the database-unavailable warning");

            const int calls = 60;
            (double medianWith, double medianWithout) = await CompareLatencyAsync(withSink, withoutSink, calls, ct);
            offered += calls;
            AssertLatencyUnaffected(medianWith, medianWithout, "database stopped");
            long dropped = meters.Sum(UsageRecorderMetrics.DroppedName);

            // At most a batch (4) and a full queue (8) wait for the database; the rest were dropped and counted as
            // dropped because the database is unavailable. One warning says so, not one per record.
            Assert.InRange(dropped, offered - 12, offered - 1);
            Assert.Equal(dropped, meters.Sum(UsageRecorderMetrics.DroppedName, (UsageRecorderMetrics.ReasonTag, UsageRecorderMetrics.DatabaseUnavailableReason)));
            Assert.Single(logs.Entries, e => e.EventId.Id == 7104);
            Assert.Single(logs.Entries, e => e.EventId.Id == 7101);

            await Db.StartAgainAsync(ct);
            await FlushAsync(recorder);

            // Every record is accounted for: written once the database came back, or counted as dropped.
            long written = await CountAsync(cs);
            Assert.Equal(offered, written + dropped);
            Assert.Equal(written, meters.Sum(UsageRecorderMetrics.WrittenName));
            Assert.Contains(logs.Entries, e => e.EventId.Id == 7103);

            // And writing goes on.
            for (int i = 0; i < 5; i++)
            {
                await withSink.EmbedAsync(Texts(1), cancellationToken: ct);
            }

            await FlushAsync(recorder);
            Assert.Equal(written + 5, await CountAsync(cs));
            Assert.Equal(dropped, meters.Sum(UsageRecorderMetrics.DroppedName));
            Assert.DoesNotContain(PostgreSqlServer.Password, logs.AllText, StringComparison.Ordinal);
        }
        finally
        {
            if (!Db.IsRunning)
            {
                await Db.StartAgainAsync(CancellationToken.None);
            }
        }
    }

    [Fact]
    public async Task DisposeAsync_DatabaseDown_ReturnsWithinTheShutdownTimeoutAndCountsWhatIsLost()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        string cs = await Db.CreateDatabaseAsync(ct);
        using var meters = new RecordingMeterFactory();
        var logs = new CapturingLoggerProvider();
        using var loggerFactory = LoggerFactory(logs);
        await Db.StopAsync(ct);
        try
        {
            var recorder = new PostgreSqlUsageRecorder(
                RecorderOptions(cs, o => o.ShutdownTimeout = TimeSpan.FromMilliseconds(300)), loggerFactory, meters);
            for (int i = 0; i < 5; i++)
            {
                recorder.OnUsage(Record());
            }

            var watch = Stopwatch.StartNew();
            await recorder.DisposeAsync();
            watch.Stop();

            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(3), $"Dispose took {watch.Elapsed}.");
            Assert.Equal(5, meters.Sum(UsageRecorderMetrics.DroppedName, (UsageRecorderMetrics.ReasonTag, UsageRecorderMetrics.ShutdownReason)));
            CapturedLog lost = Assert.Single(logs.Entries, e => e.EventId.Id == 7107);
            Assert.StartsWith("5 usage records", lost.Message, StringComparison.Ordinal);

            // A record after disposal is counted, not thrown.
            recorder.OnUsage(Record());
            Assert.Equal(6, meters.Sum(UsageRecorderMetrics.DroppedName, (UsageRecorderMetrics.ReasonTag, UsageRecorderMetrics.ShutdownReason)));
        }
        finally
        {
            await Db.StartAgainAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task DatabaseHangs_CallsKeepTheirLatencyAndDisposeReturnsWithinTheShutdownTimeout()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;

        // A "database" that accepts connections and never answers: every connection attempt hangs.
        using var blackHole = new TcpListener(IPAddress.Loopback, 0);
        blackHole.Start(512);
        var connectionString = new Npgsql.NpgsqlConnectionStringBuilder(Db.ConnectionString())
        {
            Port = ((IPEndPoint)blackHole.LocalEndpoint).Port,
            Timeout = 60,
        }.ConnectionString;
        await using FaultInjectingServer server = await FaultInjectingServer.StartAsync();
        using var meters = new RecordingMeterFactory();
        using var client = new HttpClient();
        using var withoutSink = Provider(client, server, observer: null);
        var recorder = new PostgreSqlUsageRecorder(
            RecorderOptions(connectionString, o =>
            {
                o.QueueCapacity = 8;
                o.BatchSize = 4;
                o.ShutdownTimeout = TimeSpan.FromMilliseconds(300);
            }),
            meterFactory: meters);
        using var withSink = Provider(client, server, recorder);
        int offered = 0;
        for (int i = 0; i < 3; i++)
        {
            await withoutSink.EmbedAsync(Texts(2), cancellationToken: ct);
            await withSink.EmbedAsync(Texts(2), cancellationToken: ct);
            offered++;
        }

        const int calls = 60;
        (double medianWith, double medianWithout) = await CompareLatencyAsync(withSink, withoutSink, calls, ct);
        offered += calls;
        AssertLatencyUnaffected(medianWith, medianWithout, "database hanging");

        // The writer is stuck opening a connection: the queue filled up and the rest were dropped.
        long droppedWhileHanging = meters.Sum(UsageRecorderMetrics.DroppedName, (UsageRecorderMetrics.ReasonTag, UsageRecorderMetrics.QueueFullReason));
        Assert.InRange(droppedWhileHanging, offered - 12, offered - 1);

        var watch = Stopwatch.StartNew();
        await recorder.DisposeAsync();
        watch.Stop();

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(3), $"Dispose took {watch.Elapsed}.");
        Assert.Equal(offered - droppedWhileHanging, meters.Sum(UsageRecorderMetrics.DroppedName, (UsageRecorderMetrics.ReasonTag, UsageRecorderMetrics.ShutdownReason)));
        Assert.Equal(0, meters.Sum(UsageRecorderMetrics.WrittenName));
    }
}
