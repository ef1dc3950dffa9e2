using System.Diagnostics;
using Embeddings.TestSupport;

namespace Embeddings.Composition;

/// <summary>The cache against a real <c>redis-server</c> on loopback, through a RESP2 <c>IDistributedCache</c>.</summary>
public sealed class CachingEmbeddingProviderRedisTests(RedisFixture redis, ITestOutputHelper output) : IClassFixture<RedisFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task EmbedAsync_SecondCall_HitsRedis()
    {
        using RespDistributedCache cache = redis.Server.CreateCache();
        using TestEmbeddingProvider inner = OptionAwareVectors.Provider(dimensions: 768);
        using var metrics = new RecordingMeterFactory();
        using CachingEmbeddingProvider cached = inner.WithCache(cache, Options(), meterFactory: metrics);

        IReadOnlyList<EmbeddingResult> first = await cached.EmbedAsync(["a red bicycle"], cancellationToken: Ct);
        IReadOnlyList<EmbeddingResult> second = await cached.EmbedAsync(["a red bicycle"], cancellationToken: Ct);

        Assert.Equal(1, inner.Calls);
        float[] expected = OptionAwareVectors.For(inner.Metadata, "a red bicycle", null);
        Assert.Equal(expected, first[0].Vector.ToArray());
        Assert.Equal(expected, second[0].Vector.ToArray());
        Assert.Equal(CachingEmbeddingProvider.HitProviderName, second[0].ProviderName);
        Assert.Equal(1, metrics.Sum(EmbeddingCacheMetrics.HitsName, (EmbeddingCacheMetrics.BackendTag, "distributed")));
        Assert.Equal(1, metrics.Sum(EmbeddingCacheMetrics.MissesName, (EmbeddingCacheMetrics.BackendTag, "distributed")));
        int valueBytes = EmbeddingCacheValue.HeaderBytes + (768 * 4);
        Assert.Equal(valueBytes, metrics.Sum(EmbeddingCacheMetrics.ValueBytesName, (EmbeddingCacheMetrics.OperationTag, "write")));
        Assert.Equal(valueBytes, metrics.Sum(EmbeddingCacheMetrics.ValueBytesName, (EmbeddingCacheMetrics.OperationTag, "read")));
        Assert.Equal(0, metrics.Sum(EmbeddingCacheMetrics.ErrorsName));

        // What Redis holds is the value this library wrote (after the test client's own 16-byte header).
        var stored = (byte[])(await cache.ExecuteAsync(Ct, "GET", cached.GetKey("a red bicycle")))!;
        Assert.Equal(16 + valueBytes, stored.Length);
        Assert.Equal(expected, EmbeddingCacheValue.TryDeserialize(stored.AsSpan(16), CheckOf(cached)));
    }

    [Fact]
    public async Task EmbedAsync_ModelsRevisionsAndOptionsOnOneRedis_NeverShareVectors()
    {
        using RespDistributedCache cache = redis.Server.CreateCache();
        EmbeddingCacheOptions options = Options();
        EmbeddingRequestOptions?[] requestOptions =
        [
            null,
            new() { Dimensions = 4 },
            new() { PromptName = "query" },
            new() { Normalize = false },
        ];
        (string Model, string? Revision)[] models = [("model-a", null), ("model-a", "1111"), ("model-a", "2222"), ("model-b", null)];

        // Every combination is computed once, by its own provider, and then served from Redis unchanged.
        for (int pass = 0; pass < 2; pass++)
        {
            foreach ((string model, string? revision) in models)
            {
                using TestEmbeddingProvider inner = OptionAwareVectors.Provider(model, revision);
                using CachingEmbeddingProvider cached = inner.WithCache(cache, options);
                foreach (EmbeddingRequestOptions? request in requestOptions)
                {
                    IReadOnlyList<EmbeddingResult> results = await cached.EmbedAsync(["shared text", EmbeddingInput.FromImage(new byte[] { 7, 7, 7 })], request, Ct);
                    Assert.Equal(OptionAwareVectors.For(inner.Metadata, "shared text", request), results[0].Vector.ToArray());
                    Assert.Equal(OptionAwareVectors.For(inner.Metadata, EmbeddingInput.FromImage(new byte[] { 7, 7, 7 }), request), results[1].Vector.ToArray());
                    Assert.Equal(pass == 0 ? "test" : CachingEmbeddingProvider.HitProviderName, results[0].ProviderName);

                    // Images ignore prompts, so the image under a prompt is the one already cached without it.
                    bool imageCached = pass > 0 || request?.PromptName is not null;
                    Assert.Equal(imageCached ? CachingEmbeddingProvider.HitProviderName : "test", results[1].ProviderName);
                }

                Assert.Equal(pass == 0 ? requestOptions.Length : 0, inner.Calls);
            }
        }
    }

    public static TheoryData<string> CorruptValues => ["garbage", "truncated", "padded", "future format", "other model", "not finite", "empty"];

    [Theory]
    [MemberData(nameof(CorruptValues))]
    public async Task EmbedAsync_CorruptValueInRedis_IgnoredAndReplaced(string corruption)
    {
        using RespDistributedCache cache = redis.Server.CreateCache();
        using TestEmbeddingProvider inner = OptionAwareVectors.Provider();
        using var metrics = new RecordingMeterFactory();
        EmbeddingCacheOptions options = Options();
        using CachingEmbeddingProvider cached = inner.WithCache(cache, options, meterFactory: metrics);
        string key = cached.GetKey("t");
        float[] expected = OptionAwareVectors.For(inner.Metadata, "t", null);
        byte[] valid = EmbeddingCacheValue.Serialize(expected, CheckOf(cached));
        byte[] value = corruption switch
        {
            "garbage" => [.. Enumerable.Range(0, 48).Select(i => (byte)(i * 37))],
            "truncated" => valid[..^3],
            "padded" => [.. valid, 0, 0, 0, 0],
            "future format" => [(byte)(EmbeddingCacheValue.FormatVersion + 1), .. valid[1..]],
            "other model" => await OtherModelsValueAsync(cache, options),
            "not finite" => EmbeddingCacheValue.Serialize([.. expected[..^1], float.NaN], CheckOf(cached)),
            "empty" => [],
            _ => throw new ArgumentOutOfRangeException(nameof(corruption)),
        };
        await cache.SetAsync(key, value, new(), Ct);

        IReadOnlyList<EmbeddingResult> first = await cached.EmbedAsync(["t"], cancellationToken: Ct);
        IReadOnlyList<EmbeddingResult> second = await cached.EmbedAsync(["t"], cancellationToken: Ct);

        Assert.Equal(expected, first[0].Vector.ToArray());
        Assert.Equal("test", first[0].ProviderName);
        Assert.Equal(expected, second[0].Vector.ToArray());
        Assert.Equal(CachingEmbeddingProvider.HitProviderName, second[0].ProviderName);
        Assert.Equal(1, inner.Calls);
        Assert.Equal(1, metrics.Sum(EmbeddingCacheMetrics.ErrorsName, (EmbeddingCacheMetrics.ErrorTypeTag, "corrupt_value")));
    }

    [Fact]
    public async Task EmbedAsync_RedisStoppedMidTest_EmbeddingsStillServedAndErrorsCounted()
    {
        await using RedisServer server = await RedisServer.StartAsync(Ct);
        using RespDistributedCache cache = server.CreateCache(commandTimeout: TimeSpan.FromSeconds(2));
        using TestEmbeddingProvider inner = OptionAwareVectors.Provider();
        using var metrics = new RecordingMeterFactory();
        var logs = new RecordingLoggerFactory();
        EmbeddingCacheOptions options = Options();
        options.BreakDuration = TimeSpan.FromMilliseconds(300);
        using CachingEmbeddingProvider cached = inner.WithCache(cache, options, logs, metrics);
        await cached.EmbedAsync(["before"], cancellationToken: Ct);

        server.Stop();
        var watch = Stopwatch.StartNew();
        for (int i = 0; i < 20; i++)
        {
            IReadOnlyList<EmbeddingResult> results = await cached.EmbedAsync(["before", $"during {i}"], cancellationToken: Ct);
            Assert.Equal(OptionAwareVectors.For(inner.Metadata, "before", null), results[0].Vector.ToArray());
            Assert.Equal(OptionAwareVectors.For(inner.Metadata, $"during {i}", null), results[1].Vector.ToArray());
        }

        watch.Stop();
        long errors = metrics.Sum(EmbeddingCacheMetrics.ErrorsName, (EmbeddingCacheMetrics.BackendTag, "distributed"));
        output.WriteLine($"20 calls with Redis down took {watch.ElapsedMilliseconds} ms; {errors} cache errors counted");
        Assert.True(errors >= 20, $"{errors} errors");
        Assert.Single(logs.Entries, e => e.EventId.Id == 3001);
        Assert.All(logs.Entries, e => Assert.DoesNotContain("during", e.Message, StringComparison.Ordinal));

        // Back up (empty, as it has no persistence): after the break, vectors are cached again.
        await server.RestartAsync(Ct);
        await Task.Delay(options.BreakDuration * 2, Ct);
        await cached.EmbedAsync(["after"], cancellationToken: Ct);
        int calls = inner.Calls;
        IReadOnlyList<EmbeddingResult> again = await cached.EmbedAsync(["after"], cancellationToken: Ct);
        Assert.Equal(calls, inner.Calls);
        Assert.Equal(CachingEmbeddingProvider.HitProviderName, again[0].ProviderName);
    }

    [Fact]
    public async Task EmbedAsync_RedisHangs_BoundedByOperationTimeout()
    {
        await using RedisServer server = await RedisServer.StartAsync(Ct);
        using RespDistributedCache cache = server.CreateCache(commandTimeout: TimeSpan.FromMinutes(1));
        using TestEmbeddingProvider inner = OptionAwareVectors.Provider();
        using var metrics = new RecordingMeterFactory();
        EmbeddingCacheOptions options = Options();
        options.OperationTimeout = TimeSpan.FromMilliseconds(200);
        using CachingEmbeddingProvider cached = inner.WithCache(cache, options, meterFactory: metrics);
        await cached.EmbedAsync(["warm"], cancellationToken: Ct); // opens a pooled connection

        server.Pause();
        try
        {
            var watch = Stopwatch.StartNew();
            IReadOnlyList<EmbeddingResult> results = await cached.EmbedAsync(["while paused"], cancellationToken: Ct);
            watch.Stop();

            output.WriteLine($"call with Redis paused took {watch.ElapsedMilliseconds} ms (timeout 200 ms per operation)");
            Assert.Equal(OptionAwareVectors.For(inner.Metadata, "while paused", null), results[0].Vector.ToArray());
            Assert.InRange(watch.ElapsedMilliseconds, 300, 10_000);
            Assert.Equal(2, metrics.Sum(EmbeddingCacheMetrics.ErrorsName, (EmbeddingCacheMetrics.ErrorTypeTag, "timeout")));
        }
        finally
        {
            server.Resume();
        }
    }

    [Fact]
    public async Task EmbedAsync_32ConcurrentCallers_InnerCalledOnce()
    {
        using RespDistributedCache cache = redis.Server.CreateCache(maxConnections: 4);
        using TestEmbeddingProvider inner = OptionAwareVectors.Provider();
        var go = new TaskCompletionSource();
        inner.OnCall = async (_, ct) => await Task.Delay(50, ct);
        using CachingEmbeddingProvider cached = inner.WithCache(cache, Options());

        Task<IReadOnlyList<EmbeddingResult>>[] callers = [.. Enumerable.Range(0, 32).Select(_ => Task.Run(async () =>
        {
            await go.Task;
            return await cached.EmbedAsync(["popular"], cancellationToken: Ct);
        }))];
        go.SetResult();
        IReadOnlyList<EmbeddingResult>[] results = await Task.WhenAll(callers);

        Assert.Equal(1, inner.Calls);
        Assert.All(results, r => Assert.Equal(OptionAwareVectors.For(inner.Metadata, "popular", null), r[0].Vector.ToArray()));
    }

    [Fact]
    public async Task EmbedAsync_LargeBatch_LooksUpConcurrentlyAndKeepsOrder()
    {
        using RespDistributedCache cache = redis.Server.CreateCache(maxConnections: 4);
        using TestEmbeddingProvider inner = OptionAwareVectors.Provider(dimensions: 384);
        using CachingEmbeddingProvider cached = inner.WithCache(cache, Options());
        string[] even = [.. Enumerable.Range(0, 100).Where(i => i % 2 == 0).Select(i => $"item {i}")];
        string[] all = [.. Enumerable.Range(0, 100).Select(i => $"item {i}")];
        await cached.EmbedAsync(even, cancellationToken: Ct);

        IReadOnlyList<EmbeddingResult> results = await cached.EmbedAsync(all, cancellationToken: Ct);

        Assert.Equal(2, inner.Calls);
        Assert.Equal(50, inner.Batches[1].Count);
        for (int i = 0; i < all.Length; i++)
        {
            Assert.Equal(OptionAwareVectors.For(inner.Metadata, all[i], null), results[i].Vector.ToArray());
            Assert.Equal(i % 2 == 0 ? CachingEmbeddingProvider.HitProviderName : "test", results[i].ProviderName);
        }

        Assert.InRange(cache.ConnectionsOpened, 1, 4);
    }

    [Fact]
    public async Task EmbedAsync_Expirations_ReachRedis()
    {
        using RespDistributedCache cache = redis.Server.CreateCache();
        EmbeddingCacheOptions absolute = Options();
        absolute.AbsoluteExpiration = TimeSpan.FromHours(1);
        EmbeddingCacheOptions sliding = Options();
        sliding.SlidingExpiration = TimeSpan.FromMinutes(10);
        using CachingEmbeddingProvider withAbsolute = OptionAwareVectors.Provider().WithCache(cache, absolute);
        using CachingEmbeddingProvider withSliding = OptionAwareVectors.Provider().WithCache(cache, sliding);
        using CachingEmbeddingProvider withNone = OptionAwareVectors.Provider().WithCache(cache, Options());

        await withAbsolute.EmbedAsync(["t"], cancellationToken: Ct);
        await withSliding.EmbedAsync(["t"], cancellationToken: Ct);
        await withNone.EmbedAsync(["t"], cancellationToken: Ct);

        Assert.InRange((long)(await cache.ExecuteAsync(Ct, "PTTL", withAbsolute.GetKey("t")))!, 3_500_000, 3_600_000);
        Assert.InRange((long)(await cache.ExecuteAsync(Ct, "PTTL", withSliding.GetKey("t")))!, 500_000, 600_000);
        Assert.Equal(-1L, await cache.ExecuteAsync(Ct, "PTTL", withNone.GetKey("t")));
    }

    private static EmbeddingCacheOptions Options() => new() { KeyPrefix = $"test:{Guid.NewGuid():N}:" };

    private static ulong CheckOf(CachingEmbeddingProvider cached) =>
        EmbeddingCacheKeys.CreateContext(cached.Options.KeyPrefix, cached.Metadata, EmbeddingModalities.Text, null).Check;

    /// <summary>A valid value written for the same text by another model.</summary>
    private static async Task<byte[]> OtherModelsValueAsync(RespDistributedCache cache, EmbeddingCacheOptions options)
    {
        using CachingEmbeddingProvider other = OptionAwareVectors.Provider("another-model").WithCache(cache, options);
        await other.EmbedAsync(["t"], cancellationToken: Ct);
        return (await cache.GetAsync(other.GetKey("t"), Ct))!;
    }
}
