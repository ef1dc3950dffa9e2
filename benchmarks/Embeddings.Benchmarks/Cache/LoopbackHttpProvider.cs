using System.Net.Http.Json;
using Microsoft.Extensions.AI;

namespace Embeddings.Benchmarks.Cache;

/// <summary>
/// Embeds texts by a JSON round trip to a loopback HTTP service: the floor of what any remote provider costs, with
/// no inference, network distance or retries on top.
/// </summary>
internal sealed class LoopbackHttpProvider(HttpClient client, Uri endpoint, int dimensions) : IEmbeddingProvider
{
    public EmbeddingProviderMetadata Metadata { get; } = new("loopback-http", "bench-model", dimensions, EmbeddingModalities.Text, providerUri: endpoint);

    public async Task<IReadOnlyList<EmbeddingResult>> EmbedAsync(
        IReadOnlyList<EmbeddingInput> inputs, EmbeddingRequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        using HttpResponseMessage response = await client.PostAsJsonAsync(
            endpoint, new { inputs = inputs.Select(i => i.Text).ToArray() }, cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        float[][] vectors = (await response.Content.ReadFromJsonAsync<float[][]>(cancellationToken).ConfigureAwait(false))!;
        return [.. vectors.Select(v => EmbeddingResult.Success(new Embedding<float>(v), Metadata.ProviderName))];
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }
}
