namespace Embeddings.Remote.Wire;

/// <summary>One item of an <see cref="OpenAIEmbeddingResponse"/>: <c>{"object": "embedding", "embedding", "index"}</c>.</summary>
internal sealed class OpenAIEmbeddingData
{
    /// <summary>Gets the object type, always <c>embedding</c>.</summary>
    public string Object { get; init; } = "embedding";

    /// <summary>Gets the vector.</summary>
    public required float[] Embedding { get; init; }

    /// <summary>Gets the position of the input this vector belongs to.</summary>
    public required int Index { get; init; }
}
