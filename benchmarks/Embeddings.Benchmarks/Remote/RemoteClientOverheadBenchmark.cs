using System.Net;
using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Embeddings.Remote;
using Embeddings.Remote.Wire;
using Embeddings.TestSupport;

namespace Embeddings.Benchmarks.Remote;

/// <summary>
/// The client's own CPU and allocation cost, with the network taken out: both clients talk to an in-memory handler
/// that answers every request with the same canned TEI response. What remains is request building, response reading
/// and parsing, and (for the provider) resilience, checks, normalization and telemetry hooks.
/// </summary>
public class RemoteClientOverheadBenchmark
{
    private static readonly Uri s_base = new("http://127.0.0.1:9/");
    private HttpClient _client = null!;
    private HuggingFaceProvider _provider = null!;
    private string[] _texts = [];
    private EmbeddingInput[] _inputs = [];

    [Params(1, 10, 32)]
    public int BatchSize { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _texts = [.. Enumerable.Range(0, BatchSize).Select(i => $"a short product description number {i}, in plain words")];
        _inputs = [.. _texts.Select(t => EmbeddingInput.FromText(t))];
        float[][] vectors = [.. _texts.Select(t => FakeEmbedding.ForText(t, 768))];
        byte[] body = JsonSerializer.SerializeToUtf8Bytes(vectors, RemoteJsonContext.Default.SingleArrayArray);
        _client = new HttpClient(new CannedHandler(body)) { Timeout = Timeout.InfiniteTimeSpan };
        _provider = new HuggingFaceProvider(_client, new HuggingFaceProviderOptions
        {
            BaseUrl = s_base,
            ModelId = "bench/model",
            Protocol = RemoteProtocol.TextEmbeddingsInference,
            BatchSize = BatchSize,
        });
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _provider.Dispose();
        _client.Dispose();
    }

    [Benchmark(Baseline = true)]
    public async Task<float[][]> RawHttpClient()
    {
        byte[] body = JsonSerializer.SerializeToUtf8Bytes(new EmbedRequest { Inputs = new TextInputs(_texts) }, RemoteJsonContext.Default.EmbedRequest);
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new("application/json");
        using HttpResponseMessage response = await _client.PostAsync(new Uri(s_base, "embed"), content);
        response.EnsureSuccessStatusCode();
        await using Stream stream = await response.Content.ReadAsStreamAsync();
        return (await JsonSerializer.DeserializeAsync(stream, RemoteJsonContext.Default.SingleArrayArray))!;
    }

    [Benchmark]
    public Task<IReadOnlyList<EmbeddingResult>> Provider() => _provider.EmbedAsync(_inputs);

    private sealed class CannedHandler(byte[] body) : HttpMessageHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            // Read the request as a server would, so request serialization is not optimized away.
            await request.Content!.CopyToAsync(Stream.Null, cancellationToken);
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(body) { Headers = { ContentType = new("application/json") } } };
        }
    }
}
