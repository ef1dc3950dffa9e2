using Embeddings.TestSupport;
using Microsoft.Extensions.AI;

namespace Embeddings.DependencyInjection;

/// <summary>
/// A callback-driven <see cref="ILocalModelLoader"/>: by default it "loads" a <see cref="TestEmbeddingProvider"/> named
/// <c>local-onnx</c> with the requested model id, whose vectors (of <see cref="Dimensions"/>) identify the input.
/// </summary>
internal sealed class TestLocalModelLoader : ILocalModelLoader
{
    private int _loads;

    public int Dimensions { get; init; } = 8;

    /// <summary>Gets or sets a hook run at the start of every load (to delay, block or throw).</summary>
    public Func<LocalModelRequest, CancellationToken, Task>? OnLoad { get; set; }

    public int Loads => Volatile.Read(ref _loads);

    public List<LocalModelRequest> Requests { get; } = [];

    public List<TestEmbeddingProvider> Loaded { get; } = [];

    /// <summary>The vector the loaded models give an input.</summary>
    public float[] VectorFor(EmbeddingInput input)
    {
        float[] vector = new float[Dimensions];
        float[] id = TestEmbeddingProvider.VectorFor(input);
        id.AsSpan(0, Math.Min(id.Length, Dimensions)).CopyTo(vector);
        vector[^1] = 1; // never all zero
        return vector;
    }

    public async Task<IEmbeddingProvider> LoadAsync(LocalModelRequest request, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _loads);
        lock (Requests)
        {
            Requests.Add(request);
        }

        if (OnLoad is not null)
        {
            await OnLoad(request, cancellationToken);
        }

        EmbeddingModalities modalities = request.Role == EmbeddingsServiceKeys.Image
            ? EmbeddingModalities.Text | EmbeddingModalities.Image
            : EmbeddingModalities.Text;
        var provider = new TestEmbeddingProvider(new EmbeddingProviderMetadata("local-onnx", request.Model, Dimensions, modalities))
        {
            EmbedOne = (input, _) => EmbeddingResult.Success(new Embedding<float>(VectorFor(input)) { ModelId = request.Model }, "local-onnx"),
        };
        lock (Loaded)
        {
            Loaded.Add(provider);
        }

        return provider;
    }
}
