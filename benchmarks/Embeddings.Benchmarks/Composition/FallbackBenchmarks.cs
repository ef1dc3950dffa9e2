using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Embeddings.Benchmarks.Cache;
using Embeddings.Composition;
using Embeddings.Remote;
using Embeddings.TestSupport;

namespace Embeddings.Benchmarks.Composition;

/// <summary>
/// What <see cref="FallbackProvider"/> adds to a call: with a healthy primary (an in-process provider that does no
/// work, and the real remote provider on a loopback server), against calling that primary directly; and with the
/// remote primary's circuit open, against calling the local provider directly (the fallback must cost about
/// nothing when the remote is down).
/// </summary>
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class FallbackBenchmarks
{
    private const int Dimensions = 768;
    private const string Model = "bench-model";

    private FaultInjectingServer _healthyServer = null!;
    private FaultInjectingServer _failingServer = null!;
    private HttpClient _client = null!;
    private FakeProvider _fake = null!;
    private HuggingFaceProvider _remote = null!;
    private HuggingFaceProvider _openRemote = null!;
    private FallbackProvider _overFake = null!;
    private FallbackProvider _overRemote = null!;
    private FallbackProvider _overOpenRemote = null!;
    private EmbeddingInput[] _inputs = [];

    [Params(1, 32)]
    public int BatchSize { get; set; }

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _healthyServer = await FaultInjectingServer.StartAsync(dimensions: Dimensions, cacheResponses: true);
        _failingServer = await FaultInjectingServer.StartAsync(dimensions: Dimensions);
        _failingServer.Fault = ServerFault.Status(503);
        _client = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        _fake = new FakeProvider(Dimensions);
        _remote = new HuggingFaceProvider(_client, RemoteOptions(_healthyServer));
        _openRemote = new HuggingFaceProvider(_client, RemoteOptions(_failingServer));

        var leaveOpen = new FallbackProviderOptions { LeaveOpen = true };
        _overFake = new FallbackProvider([_fake, new FakeProvider(Dimensions)], leaveOpen);
        _overRemote = new FallbackProvider([_remote, _fake], leaveOpen);
        _overOpenRemote = new FallbackProvider([_openRemote, _fake], leaveOpen);
        _inputs = [.. Enumerable.Range(0, BatchSize).Select(i => EmbeddingInput.FromText($"a short product description number {i}, in plain words"))];

        // Open the failing remote's circuit (two failed calls; the break outlasts the run) and warm the server's cache.
        await _openRemote.EmbedAsync(_inputs);
        await _openRemote.EmbedAsync(_inputs);
        if (_openRemote.CircuitState != RemoteCircuitState.Open)
        {
            throw new InvalidOperationException("The failing remote's circuit did not open.");
        }

        await _remote.EmbedAsync(_inputs);
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        _overFake.Dispose();
        _overRemote.Dispose();
        _overOpenRemote.Dispose();
        _remote.Dispose();
        _openRemote.Dispose();
        _client.Dispose();
        await _healthyServer.DisposeAsync();
        await _failingServer.DisposeAsync();
    }

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("healthy in-process primary")]
    public Task<IReadOnlyList<EmbeddingResult>> InProcessDirect() => _fake.EmbedAsync(_inputs);

    [Benchmark]
    [BenchmarkCategory("healthy in-process primary")]
    public Task<IReadOnlyList<EmbeddingResult>> InProcessViaFallback() => _overFake.EmbedAsync(_inputs);

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("healthy remote primary")]
    public Task<IReadOnlyList<EmbeddingResult>> RemoteDirect() => _remote.EmbedAsync(_inputs);

    [Benchmark]
    [BenchmarkCategory("healthy remote primary")]
    public Task<IReadOnlyList<EmbeddingResult>> RemoteViaFallback() => _overRemote.EmbedAsync(_inputs);

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("remote circuit open")]
    public Task<IReadOnlyList<EmbeddingResult>> LocalDirect() => _fake.EmbedAsync(_inputs);

    [Benchmark]
    [BenchmarkCategory("remote circuit open")]
    public Task<IReadOnlyList<EmbeddingResult>> LocalViaFallbackCircuitOpen() => _overOpenRemote.EmbedAsync(_inputs);

    private HuggingFaceProviderOptions RemoteOptions(FaultInjectingServer server)
    {
        var options = new HuggingFaceProviderOptions
        {
            BaseUrl = server.BaseUrl,
            ModelId = Model,
            Protocol = RemoteProtocol.TextEmbeddingsInference,
            BatchSize = Math.Max(BatchSize, 1),
            MaxRetries = 0,
        };
        options.CircuitBreaker.MinimumThroughput = 2;
        options.CircuitBreaker.FailureRatio = 1.0;
        options.CircuitBreaker.BreakDuration = TimeSpan.FromHours(23);
        return options;
    }
}
