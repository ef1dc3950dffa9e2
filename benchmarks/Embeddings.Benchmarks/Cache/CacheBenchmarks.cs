using System.Net;
using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Embeddings.Composition;
using Embeddings.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Embeddings.Benchmarks.Cache;

/// <summary>
/// What a cache hit costs (in memory, and in a real redis-server on loopback) against computing the vector: with a
/// provider that does no work at all, and with a JSON round trip to a loopback HTTP service (the floor of any remote
/// provider). Misses show what the cache adds on top of computing.
/// </summary>
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class CacheBenchmarks
{
    private const int Dimensions = 768;

    private RedisServer _redis = null!;
    private RespDistributedCache _redisCache = null!;
    private WebApplication _server = null!;
    private HttpClient _http = null!;
    private LoopbackHttpProvider _httpProvider = null!;
    private FakeProvider _fake = null!;
    private CachingEmbeddingProvider _memory = null!;
    private CachingEmbeddingProvider _redisCached = null!;
    private CachingEmbeddingProvider _memoryForMisses = null!;
    private CachingEmbeddingProvider _redisForMisses = null!;
    private EmbeddingInput[] _text = null!;
    private EmbeddingInput[] _image = null!;
    private EmbeddingInput[] _batch = null!;
    private int _unique;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _redis = await RedisServer.StartAsync();
        _redisCache = _redis.CreateCache(maxConnections: 16);
        _server = await StartServerAsync();
        string address = _server.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        _http = new HttpClient();
        _httpProvider = new LoopbackHttpProvider(_http, new Uri(new Uri(address), "/embed"), Dimensions);
        _fake = new FakeProvider(Dimensions);

        _memory = new FakeProvider(Dimensions).WithMemoryCache();
        _redisCached = new FakeProvider(Dimensions).WithCache(_redisCache, new EmbeddingCacheOptions { KeyPrefix = "bench:" });

        // Every miss writes a new entry; a short expiry keeps redis-server small during long runs.
        _memoryForMisses = new FakeProvider(Dimensions).WithMemoryCache();
        _redisForMisses = new FakeProvider(Dimensions).WithCache(
            _redisCache, new EmbeddingCacheOptions { KeyPrefix = "bench-miss:", AbsoluteExpiration = TimeSpan.FromSeconds(5) });

        _text = [EmbeddingInput.FromText("a photo of a red bicycle leaning against a brick wall")];
        _image = [EmbeddingInput.FromImage(await File.ReadAllBytesAsync(Path.Combine(BenchmarkAssets.ImagesDir, "cat_bamboo_chair.jpg")))];
        _batch = [.. Enumerable.Range(0, 32).Select(i => EmbeddingInput.FromText($"catalog item {i}: a wooden chair with a woven seat"))];
        foreach (CachingEmbeddingProvider cached in new[] { _memory, _redisCached })
        {
            await cached.EmbedAsync(_text);
            await cached.EmbedAsync(_image);
            await cached.EmbedAsync(_batch);
        }
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        _memory.Dispose();
        _redisCached.Dispose();
        _memoryForMisses.Dispose();
        _redisForMisses.Dispose();
        _http.Dispose();
        _redisCache.Dispose();
        await _server.StopAsync();
        await _server.DisposeAsync();
        await _redis.DisposeAsync();
    }

    [Benchmark(Baseline = true), BenchmarkCategory("one text")]
    public Task<IReadOnlyList<EmbeddingResult>> Compute_LoopbackHttp() => _httpProvider.EmbedAsync(_text);

    [Benchmark, BenchmarkCategory("one text")]
    public Task<IReadOnlyList<EmbeddingResult>> Compute_NoWorkProvider() => _fake.EmbedAsync(_text);

    [Benchmark, BenchmarkCategory("one text")]
    public Task<IReadOnlyList<EmbeddingResult>> Hit_Memory() => _memory.EmbedAsync(_text);

    [Benchmark, BenchmarkCategory("one text")]
    public Task<IReadOnlyList<EmbeddingResult>> Hit_Redis() => _redisCached.EmbedAsync(_text);

    [Benchmark, BenchmarkCategory("one text")]
    public Task<IReadOnlyList<EmbeddingResult>> Miss_Memory_NoWorkProvider() =>
        _memoryForMisses.EmbedAsync([EmbeddingInput.FromText("unique text " + Interlocked.Increment(ref _unique))]);

    [Benchmark, BenchmarkCategory("one text")]
    public Task<IReadOnlyList<EmbeddingResult>> Miss_Redis_NoWorkProvider() =>
        _redisForMisses.EmbedAsync([EmbeddingInput.FromText("unique text " + Interlocked.Increment(ref _unique))]);

    [Benchmark, BenchmarkCategory("one image (231 KB JPEG)")]
    public Task<IReadOnlyList<EmbeddingResult>> Hit_Memory_Image() => _memory.EmbedAsync(_image);

    [Benchmark(Baseline = true), BenchmarkCategory("32 texts")]
    public Task<IReadOnlyList<EmbeddingResult>> Compute_LoopbackHttp_Batch() => _httpProvider.EmbedAsync(_batch);

    [Benchmark, BenchmarkCategory("32 texts")]
    public Task<IReadOnlyList<EmbeddingResult>> Hit_Memory_Batch() => _memory.EmbedAsync(_batch);

    [Benchmark, BenchmarkCategory("32 texts")]
    public Task<IReadOnlyList<EmbeddingResult>> Hit_Redis_Batch() => _redisCached.EmbedAsync(_batch);

    private static async Task<WebApplication> StartServerAsync()
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        WebApplication app = builder.Build();

        // The service's answer per text: a 768-float vector as JSON, serialized once.
        string vectorJson = JsonSerializer.Serialize(Enumerable.Range(0, Dimensions).Select(i => MathF.Sin(i) / 27.7f).ToArray());
        app.MapPost("/embed", async context =>
        {
            using JsonDocument request = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
            int count = request.RootElement.GetProperty("inputs").GetArrayLength();
            var response = new StringBuilder("[");
            for (int i = 0; i < count; i++)
            {
                response.Append(i == 0 ? string.Empty : ",").Append(vectorJson);
            }

            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(response.Append(']').ToString(), context.RequestAborted);
        });
        await app.StartAsync();
        return app;
    }
}
