using BenchmarkDotNet.Attributes;
using Embeddings;
using Embeddings.Composition;
using Embeddings.Local;
using Embeddings.Remote;

namespace ProviderBenchmarks;

/// <summary>
/// One batch through each way of running the same model: in-process (<see cref="LocalOnnxProvider"/>), over HTTP to
/// a server running it (<see cref="HuggingFaceProvider"/> against <c>MapEmbeddings()</c> on loopback), and through a
/// <see cref="FallbackProvider"/> whose remote side is healthy or down (its circuit open, so inputs go straight to the
/// local model).
/// </summary>
[MemoryDiagnoser]
public class ProviderBenchmark
{
    private LocalOnnxProvider _local = null!;
    private LocalOnnxProvider _served = null!;
    private LoopbackServer _server = null!;
    private HuggingFaceProvider _remote = null!;
    private HuggingFaceProvider _downRemote = null!;
    private FallbackProvider _fallback = null!;
    private FallbackProvider _fallbackRemoteDown = null!;
    private EmbeddingInput[] _inputs = [];

    /// <summary>Gets or sets what is embedded: 8 texts or 4 images.</summary>
    [Params("text", "image")]
    public string Modality { get; set; } = "text";

    [GlobalSetup]
    public async Task SetupAsync()
    {
        string model = SampleAssets.Model();
        _local = LocalOnnxProvider.Create(model);
        _served = LocalOnnxProvider.Create(model);
        _server = await LoopbackServer.StartAsync(_served);

        _remote = HuggingFaceProvider.Create(RemoteOptions(_server.Address));

        // Nothing listens on port 9 (discard) on loopback: every request is refused at once.
        _downRemote = HuggingFaceProvider.Create(RemoteOptions(new Uri("http://127.0.0.1:9")));
        var leaveOpen = new FallbackProviderOptions { LeaveOpen = true };
        _fallback = _remote.WithFallback(_local, leaveOpen);
        _fallbackRemoteDown = _downRemote.WithFallback(_local, leaveOpen);

        _inputs = Modality == "text"
            ? [.. Enumerable.Range(0, 8).Select(i => EmbeddingInput.FromText($"a photo of item number {i} on a white background"))]
            : [.. SampleAssets.Images().Take(4).Select(f => EmbeddingInput.FromImage(File.ReadAllBytes(f), Path.GetFileName(f)))];

        // Open the down remote's circuit before measuring, as a service that has been down for a while would.
        for (int i = 0; i < 10 && _downRemote.CircuitState != RemoteCircuitState.Open; i++)
        {
            await _fallbackRemoteDown.EmbedAsync(_inputs);
        }
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        _fallback.Dispose();
        _fallbackRemoteDown.Dispose();
        _remote.Dispose();
        _downRemote.Dispose();
        await _server.DisposeAsync();
        _served.Dispose();
        _local.Dispose();
    }

    [Benchmark(Baseline = true)]
    public Task<IReadOnlyList<EmbeddingResult>> Local() => _local.EmbedAsync(_inputs);

    [Benchmark]
    public Task<IReadOnlyList<EmbeddingResult>> Remote() => _remote.EmbedAsync(_inputs);

    [Benchmark]
    public Task<IReadOnlyList<EmbeddingResult>> FallbackRemoteHealthy() => _fallback.EmbedAsync(_inputs);

    [Benchmark]
    public Task<IReadOnlyList<EmbeddingResult>> FallbackRemoteDown() => _fallbackRemoteDown.EmbedAsync(_inputs);

    private HuggingFaceProviderOptions RemoteOptions(Uri address) => new()
    {
        BaseUrl = address,
        Protocol = RemoteProtocol.EmbeddingsServer,
        ModelId = _local.Metadata.ModelId,
        Modalities = EmbeddingModalities.Text | EmbeddingModalities.Image,
        MaxRetries = 0,
    };
}
