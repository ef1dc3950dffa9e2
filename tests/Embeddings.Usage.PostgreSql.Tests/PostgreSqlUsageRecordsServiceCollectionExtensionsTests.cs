using Embeddings.Diagnostics;
using Embeddings.TestSupport;
using Embeddings.DependencyInjection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using static Embeddings.Usage.PostgreSql.UsageTestHelpers;

namespace Embeddings.Usage.PostgreSql;

[Collection(PostgreSqlCollection.Name)]
public sealed class PostgreSqlUsageRecordsServiceCollectionExtensionsTests(PostgreSqlFixture fixture)
{
    [Fact]
    public async Task AddPostgreSqlUsageRecords_HostStops_RecordsAreFlushedToTheTable()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        string cs = await fixture.Server.CreateDatabaseAsync(ct);
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddPostgreSqlUsageRecords(o =>
        {
            o.ConnectionString = cs;
            o.CreateTableIfMissing = true;
        });

        using IHost host = builder.Build();
        await host.StartAsync(ct);
        var recorder = host.Services.GetRequiredService<PostgreSqlUsageRecorder>();
        IEmbeddingUsageObserver observer = host.Services.GetRequiredService<IEmbeddingUsageObserver>();
        for (int i = 0; i < 3; i++)
        {
            observer.OnUsage(Record());
        }

        await host.StopAsync(ct);

        Assert.Same(recorder, observer);
        Assert.Contains(recorder, host.Services.GetServices<IHostedService>());
        Assert.Equal(3, await CountAsync(cs));
    }

    [Fact]
    public async Task AddPostgreSqlUsageRecords_InvalidOptions_HostFailsToStart()
    {
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddPostgreSqlUsageRecords(o =>
        {
            o.ConnectionString = "Host=db;Password=secret-71f0";
            o.TableName = "Usage Calls";
            o.RetryDelay = TimeSpan.FromMinutes(5);
        });
        using IHost host = builder.Build();

        OptionsValidationException error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains("The TableName must be a lower-case identifier", error.Message, StringComparison.Ordinal);
        Assert.Contains("MaxRetryDelay must not be shorter than RetryDelay.", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-71f0", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddPostgreSqlUsageRecords_ConnectionString_UsesTheDefaultTable()
    {
        var services = new ServiceCollection();
        services.AddPostgreSqlUsageRecords("Host=db;Database=app");
        using ServiceProvider provider = services.BuildServiceProvider();

        PostgreSqlUsageRecorderOptions options = provider.GetRequiredService<IOptions<PostgreSqlUsageRecorderOptions>>().Value;

        Assert.Equal("Host=db;Database=app", options.ConnectionString);
        Assert.Equal("ai_calls", options.TableName);
        Assert.False(options.CreateTableIfMissing);
    }

    [Fact]
    public void AddPostgreSqlUsageRecords_ObserverAlreadyRegistered_AddsTheRecorderAlongsideItOnce()
    {
        var services = new ServiceCollection();
        var existing = new NullObserver();
        services.AddSingleton<IEmbeddingUsageObserver>(existing);
        services.AddPostgreSqlUsageRecords("Host=db;Database=app");
        services.AddPostgreSqlUsageRecords("Host=db;Database=app"); // twice: still one recorder, observer and hosted service
        using ServiceProvider provider = services.BuildServiceProvider();

        IEmbeddingUsageObserver[] observers = [.. provider.GetServices<IEmbeddingUsageObserver>()];
        Assert.Equal(2, observers.Length);
        Assert.Same(existing, observers[0]);
        Assert.Same(provider.GetRequiredService<PostgreSqlUsageRecorder>(), observers[1]);
        Assert.Single(services, d => d.ServiceType == typeof(IHostedService));
        Assert.Single(services, d => d.ServiceType == typeof(PostgreSqlUsageRecorder));
    }

    [Fact]
    public async Task AddEmbeddings_RemoteModeWithPostgreSqlAndAnotherObserver_EveryRemoteCallReachesBoth()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        string cs = await fixture.Server.CreateDatabaseAsync(ct);
        await using FaultInjectingServer server = await FaultInjectingServer.StartAsync(dimensions: 8, requiredApiKey: "hf_usage_key_0e4");
        var settings = new HostApplicationBuilderSettings { DisableDefaults = true, Configuration = new ConfigurationManager() };
        settings.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["VISUAL_EMBEDDING_MODE"] = "remote",
            ["HUGGINGFACE_API_KEY"] = "hf_usage_key_0e4",
            ["HUGGINGFACE_API_URL"] = server.BaseUrl.ToString(),
            ["Embeddings:Text:Enabled"] = "false",
        });
        HostApplicationBuilder builder = Host.CreateApplicationBuilder(settings);
        builder.Services.AddPostgreSqlUsageRecords(o =>
        {
            o.ConnectionString = cs;
            o.CreateTableIfMissing = true;
        });
        var counting = new CountingObserver();
        builder.Services.AddEmbeddings().AddUsageObserver(counting);
        using IHost host = builder.Build();
        await host.StartAsync(ct);

        IEmbeddingProvider image = host.Services.GetRequiredKeyedService<IEmbeddingProvider>(EmbeddingsServiceKeys.Image);
        IReadOnlyList<EmbeddingResult> results = await image.EmbedAsync([EmbeddingInput.FromText("a"), EmbeddingInput.FromText("b")], cancellationToken: ct);
        await host.StopAsync(ct);

        Assert.All(results, r => Assert.Equal("huggingface", r.ProviderName));
        Assert.Equal(1, counting.Count);
        Assert.Equal(1, await CountAsync(cs));
    }

    private sealed class CountingObserver : IEmbeddingUsageObserver
    {
        private int _count;

        public int Count => Volatile.Read(ref _count);

        public void OnUsage(EmbeddingUsageRecord record) => Interlocked.Increment(ref _count);
    }

    private sealed class NullObserver : IEmbeddingUsageObserver
    {
        public void OnUsage(EmbeddingUsageRecord record)
        {
        }
    }
}
