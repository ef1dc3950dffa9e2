namespace Embeddings.Composition;

/// <summary>The outcome of one cache read.</summary>
/// <param name="Vector">The vector, or <see langword="null"/> for a miss.</param>
/// <param name="Bytes">The size of the value read, in bytes (0 when there was none).</param>
/// <param name="Corrupt">Whether a value was found but could not be used.</param>
internal readonly record struct EmbeddingCacheRead(float[]? Vector, int Bytes, bool Corrupt)
{
    /// <summary>Gets a read that found nothing.</summary>
    public static EmbeddingCacheRead Miss => default;
}
