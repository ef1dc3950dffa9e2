using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Embeddings.Remote;
using Embeddings.Remote.Wire;

namespace Embeddings.Benchmarks.Remote;

/// <summary>
/// The two clients the remote benchmarks compare, over whatever transport the derived class gives them: the least a
/// hand-written client does with a raw <see cref="HttpClient"/> (serialize, POST, deserialize <c>float[][]</c>; no
/// resilience, no checks, no normalization) against <see cref="HuggingFaceProvider"/> on the same TEI route.
/// </summary>
public abstract class RemoteClientBenchmark
{
    private HttpClient _client = null!;
    private HuggingFaceProvider _provider = null!;
    private Uri _embedUri = null!;
    private string[] _texts = [];
    private EmbeddingInput[] _inputs = [];

    [Params(1, 10, 32)]
    public int BatchSize { get; set; }

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

    /// <summary>The texts of a batch (the same in every run, so a caching server answers them from its cache).</summary>
    protected static string[] TextsFor(int batchSize) =>
        [.. Enumerable.Range(0, batchSize).Select(i => $"a short product description number {i}, in plain words")];

    /// <summary>Points both clients at <paramref name="baseUrl"/> through <paramref name="client"/>.</summary>
    protected void CreateClients(HttpClient client, Uri baseUrl)
    {
        _client = client;
        _texts = TextsFor(BatchSize);
        _embedUri = new Uri(baseUrl, RemoteRoutes.Embed);
        _inputs = [.. _texts.Select(t => EmbeddingInput.FromText(t))];
        _provider = new HuggingFaceProvider(_client, new HuggingFaceProviderOptions
        {
            BaseUrl = baseUrl,
            ModelId = "bench/model",
            Protocol = RemoteProtocol.TextEmbeddingsInference,
            BatchSize = BatchSize,
        });
    }

    /// <summary>Disposes both clients.</summary>
    protected void DisposeClients()
    {
        _provider.Dispose();
        _client.Dispose();
    }
}
