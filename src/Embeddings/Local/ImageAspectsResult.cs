namespace Embeddings.Local;

/// <summary>The aspect embeddings of one image, or the error that prevented them.</summary>
public sealed class ImageAspectsResult
{
    internal ImageAspectsResult(ReadOnlyMemory<float> embedding, IReadOnlyList<AspectEmbedding>? aspects, EmbeddingException? error)
    {
        Embedding = embedding;
        Aspects = aspects;
        Error = error;
    }

    /// <summary>Gets the image's own (normalized) embedding, which the aspect embeddings are projections of.</summary>
    public ReadOnlyMemory<float> Embedding { get; }

    /// <summary>Gets one entry per aspect, in the order asked; <see langword="null"/> when the image failed.</summary>
    public IReadOnlyList<AspectEmbedding>? Aspects { get; }

    /// <summary>Gets the error, or <see langword="null"/> when the image succeeded.</summary>
    public EmbeddingException? Error { get; }

    /// <summary>Gets a value indicating whether the image succeeded.</summary>
    public bool Succeeded => Error is null;
}
