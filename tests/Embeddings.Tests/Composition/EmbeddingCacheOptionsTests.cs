using Embeddings.TestSupport;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Embeddings.Composition;

public sealed class EmbeddingCacheOptionsTests
{
    [Fact]
    public void Bind_FromConfiguration_ReadsEverySetting()
    {
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Embeddings:Cache:Backend"] = "distributed",
            ["Embeddings:Cache:DistributedCacheServiceKey"] = "redis",
            ["Embeddings:Cache:AbsoluteExpiration"] = "7.00:00:00",
            ["Embeddings:Cache:SlidingExpiration"] = "01:30:00",
            ["Embeddings:Cache:MaxEntryBytes"] = "8192",
            ["Embeddings:Cache:MaxInputBytes"] = "1048576",
            ["Embeddings:Cache:MemorySizeLimitBytes"] = "268435456",
            ["Embeddings:Cache:OperationTimeout"] = "00:00:00.250",
            ["Embeddings:Cache:BreakDuration"] = "00:00:30",
            ["Embeddings:Cache:KeyPrefix"] = "app1:emb:",
        }).Build();

        EmbeddingCacheOptions options = configuration.GetSection("Embeddings:Cache").Get<EmbeddingCacheOptions>()!;

        Assert.Equal(EmbeddingCacheBackend.Distributed, options.Backend);
        Assert.Equal("redis", options.DistributedCacheServiceKey);
        Assert.Equal(TimeSpan.FromDays(7), options.AbsoluteExpiration);
        Assert.Equal(TimeSpan.FromMinutes(90), options.SlidingExpiration);
        Assert.Equal(8192, options.MaxEntryBytes);
        Assert.Equal(1048576, options.MaxInputBytes);
        Assert.Equal(268435456, options.MemorySizeLimitBytes);
        Assert.Equal(TimeSpan.FromMilliseconds(250), options.OperationTimeout);
        Assert.Equal(TimeSpan.FromSeconds(30), options.BreakDuration);
        Assert.Equal("app1:emb:", options.KeyPrefix);
        Assert.True(EmbeddingCacheOptionsValidator.Instance.Validate(null, options).Succeeded);
    }

    [Fact]
    public void Constructor_InvalidOptions_ThrowsNamingEverySetting()
    {
        var options = new EmbeddingCacheOptions
        {
            AbsoluteExpiration = TimeSpan.Zero,
            SlidingExpiration = TimeSpan.FromSeconds(-1),
            MaxEntryBytes = 16,
            MaxInputBytes = -1,
            MemorySizeLimitBytes = 0,
            OperationTimeout = TimeSpan.Zero,
            BreakDuration = TimeSpan.FromSeconds(-1),
            KeyPrefix = null!,
        };

        var error = Assert.Throws<ArgumentException>(() => new TestEmbeddingProvider().WithMemoryCache(options));

        foreach (string name in new[] { "AbsoluteExpiration", "SlidingExpiration", "MaxEntryBytes", "MaxInputBytes", "MemorySizeLimitBytes", "OperationTimeout", "BreakDuration", "KeyPrefix" })
        {
            Assert.Contains(name, error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Create_FromServices_UsesTheChosenBackend()
    {
        var unkeyed = new TestDistributedCache();
        var keyed = new TestDistributedCache();
        using ServiceProvider services = new ServiceCollection()
            .AddSingleton<IDistributedCache>(unkeyed)
            .AddKeyedSingleton<IDistributedCache>("vectors", keyed)
            .BuildServiceProvider();

        using CachingEmbeddingProvider memory = CachingEmbeddingProvider.Create(new TestEmbeddingProvider(), new EmbeddingCacheOptions(), services);
        using CachingEmbeddingProvider distributed = CachingEmbeddingProvider.Create(
            new TestEmbeddingProvider(), new EmbeddingCacheOptions { Backend = EmbeddingCacheBackend.Distributed }, services);
        using CachingEmbeddingProvider keyedDistributed = CachingEmbeddingProvider.Create(
            new TestEmbeddingProvider(), new EmbeddingCacheOptions { Backend = EmbeddingCacheBackend.Distributed, DistributedCacheServiceKey = "vectors" }, services);
        await distributed.EmbedAsync(["a"], cancellationToken: TestContext.Current.CancellationToken);
        await keyedDistributed.EmbedAsync(["b", "c"], cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal("memory", memory.Backend);
        Assert.IsType<Microsoft.Extensions.Caching.Memory.MemoryCache>(memory.OwnedCache);
        Assert.Equal(1, unkeyed.Sets);
        Assert.Equal(2, keyed.Sets);
    }
}
