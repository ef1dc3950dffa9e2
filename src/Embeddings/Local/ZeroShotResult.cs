namespace Embeddings.Local;

/// <summary>The zero-shot classification of one image: the score of every label, or the error that prevented it.</summary>
public sealed class ZeroShotResult
{
    internal ZeroShotResult(IReadOnlyList<LabelScore>? scores, EmbeddingException? error)
    {
        Scores = scores;
        Error = error;
    }

    /// <summary>Gets one score per label, in the order the labels were given; <see langword="null"/> when the image
    /// failed.</summary>
    public IReadOnlyList<LabelScore>? Scores { get; }

    /// <summary>Gets the error, or <see langword="null"/> when the image was classified.</summary>
    public EmbeddingException? Error { get; }

    /// <summary>Gets a value indicating whether the image was classified.</summary>
    public bool Succeeded => Error is null;
}
