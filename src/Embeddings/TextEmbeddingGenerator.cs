namespace Embeddings;

/// <summary>A provider seen as an <c>IEmbeddingGenerator&lt;string, Embedding&lt;float&gt;&gt;</c>.</summary>
internal sealed class TextEmbeddingGenerator(IEmbeddingProvider provider) : EmbeddingGeneratorAdapter<string>(provider)
{
    protected override EmbeddingInput ToInput(string value) => EmbeddingInput.FromText(value);
}
