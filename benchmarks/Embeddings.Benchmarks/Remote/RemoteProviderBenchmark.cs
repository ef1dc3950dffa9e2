using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Embeddings.Remote;
using Embeddings.Remote.Wire;
using Embeddings.TestSupport;

namespace Embeddings.Benchmarks.Remote;

/// <summary>
/// The client overhead of <see cref="HuggingFaceProvider"/> per batch, against the least a hand-written client does
/// with a raw <see cref="HttpClient"/> (serialize, POST, deserialize <c>float[][]</c>; no resilience, no checks, no
/// normalization) to the same loopback TEI-style server. The server answers repeated requests from a cache, so its
/// own cost stays small and the difference is the client's.
/// </summary>
public class RemoteProviderBenchmark
{
    private FaultInjectingServer _server = null!;
    private HttpClient _client = null!;
    private HuggingFaceProvider _provider = null!;
    private Uri _embedUri = null!;
    private string[] _texts = [];
    private EmbeddingInput[] _inputs = [];

    [Params(1, 10, 32)]
    public int BatchSize { get; set; }

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _server = await FaultInjectingServer.StartAsync(dimensions: 768, cacheResponses: true);
        _client = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        _embedUri = new Uri(_server.BaseUrl, RemoteRoutes.Embed);
        _texts = [.. Enumerable.Range(0, BatchSize).Select(i => $"a short product description number {i}, in plain words")];
        _inputs = [.. _texts.Select(t => EmbeddingInput.FromText(t))];
        _provider = new HuggingFaceProvider(_client, new HuggingFaceProviderOptions
        {
            BaseUrl = _server.BaseUrl,
            ModelId = "bench/model",
            Protocol = RemoteProtocol.TextEmbeddingsInference,
            BatchSize = Math.Max(BatchSize, 1),
        });

        // Fill the server's cache for both request shapes.
        await RawHttpClient();
        await Provider();
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        _provider.Dispose();
        _client.Dispose();
        await _server.DisposeAsync();
    }

    [Benchmark(Baseline = true)]
    public async Task<float[][]> RawHttpClient()
    {
        byte[] body = JsonSerializer.SerializeToUtf8Bytes(new EmbedRequest { Inputs = new TextInputs(_texts) }, RemoteJsonContext.Default.EmbedRequest);
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new("application/json");
        using HttpResponseMessage response = await _client.PostAsync(_embedUri, content);
        response.EnsureSuccessStatusCode();
        await using Stream stream = await response.Content.ReadAsStreamAsync();
        return (await JsonSerializer.DeserializeAsync(stream, RemoteJsonContext.Default.SingleArrayArray))!;
    }

    [Benchmark]
    public Task<IReadOnlyList<EmbeddingResult>> Provider() => _provider.EmbedAsync(_inputs);
}
