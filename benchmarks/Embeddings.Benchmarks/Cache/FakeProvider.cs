using Microsoft.Extensions.AI;

namespace Embeddings.Benchmarks.Cache;

/// <summary>A provider that makes a vector from the text's hash without any model: the cost of calling a provider
/// and allocating its result, and nothing else.</summary>
internal sealed class FakeProvider(int dimensions) : IEmbeddingProvider
{
    public EmbeddingProviderMetadata Metadata { get; } = new("fake", "bench-model", dimensions, EmbeddingModalities.Text | EmbeddingModalities.Image);

    public Task<IReadOnlyList<EmbeddingResult>> EmbedAsync(
        IReadOnlyList<EmbeddingInput> inputs, EmbeddingRequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        var results = new EmbeddingResult[inputs.Count];
        for (int i = 0; i < results.Length; i++)
        {
            float[] vector = new float[dimensions];
            vector.AsSpan().Fill((inputs[i].Text?.Length ?? 1) / 100f);
            results[i] = EmbeddingResult.Success(new Embedding<float>(vector), Metadata.ProviderName);
        }

        return Task.FromResult<IReadOnlyList<EmbeddingResult>>(results);
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }
}
