using Microsoft.Extensions.AI;

namespace Embeddings.Benchmarks.Server;

/// <summary>
/// A stand-in model with a fixed service time: each call takes <c>perCall + inputs × perInput</c> and calls run one
/// at a time, as on a CPU whose cores one ONNX session already uses. Vectors are cheap and deterministic (derived
/// from a hash of the text), so the server's own work is what remains.
/// </summary>
internal sealed class FixedCostProvider(TimeSpan perCall, TimeSpan perInput, int dimensions) : IEmbeddingProvider
{
    private readonly SemaphoreSlim _device = new(1, 1);
    private long _calls;
    private long _inputs;

    public EmbeddingProviderMetadata Metadata { get; } = new("fixed-cost", "fake/fixed-cost", dimensions, EmbeddingModalities.Text, ["query", "document"]);

    public long Calls => Interlocked.Read(ref _calls);

    public long Inputs => Interlocked.Read(ref _inputs);

    public async Task<IReadOnlyList<EmbeddingResult>> EmbedAsync(
        IReadOnlyList<EmbeddingInput> inputs, EmbeddingRequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        await _device.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            Interlocked.Increment(ref _calls);
            Interlocked.Add(ref _inputs, inputs.Count);
            TimeSpan cost = perCall + (perInput * inputs.Count);
            if (cost > TimeSpan.Zero)
            {
                await Task.Delay(cost, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _device.Release();
        }

        var results = new EmbeddingResult[inputs.Count];
        for (int i = 0; i < results.Length; i++)
        {
            results[i] = EmbeddingResult.Success(new Embedding<float>(VectorFor(inputs[i].Text ?? string.Empty, options?.Dimensions ?? dimensions)), "fixed-cost");
        }

        return results;
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => serviceKey is null && serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose() => _device.Dispose();

    private static float[] VectorFor(string text, int dimensions)
    {
        // FNV-1a over the characters, then a linear congruential sequence.
        ulong seed = 14695981039346656037UL;
        foreach (char c in text)
        {
            seed = (seed ^ c) * 1099511628211UL;
        }

        float[] vector = new float[dimensions];
        for (int i = 0; i < dimensions; i++)
        {
            seed = (seed * 6364136223846793005UL) + 1442695040888963407UL;
            vector[i] = (int)(seed >> 40) / (float)(1 << 23) - 1f;
        }

        return vector;
    }
}
