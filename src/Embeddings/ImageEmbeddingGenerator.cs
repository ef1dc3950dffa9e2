using Microsoft.Extensions.AI;

namespace Embeddings;

/// <summary>A provider seen as an <c>IEmbeddingGenerator&lt;DataContent, Embedding&lt;float&gt;&gt;</c>.</summary>
internal sealed class ImageEmbeddingGenerator(IEmbeddingProvider provider) : EmbeddingGeneratorAdapter<DataContent>(provider)
{
    protected override EmbeddingInput ToInput(DataContent value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (!value.HasTopLevelMediaType("image"))
        {
            throw new ArgumentException($"Only image content can be embedded by this generator, not '{value.MediaType}'.", nameof(value));
        }

        return EmbeddingInput.FromImage(value.Data, value.Name);
    }
}
