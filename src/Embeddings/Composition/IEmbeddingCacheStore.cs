namespace Embeddings.Composition;

/// <summary>A cache backend as the caching provider sees it: vectors under keys, checked against their context.</summary>
internal interface IEmbeddingCacheStore
{
    /// <summary>Gets the value of the <c>cache.backend</c> metric tag.</summary>
    string Backend { get; }

    /// <summary>Gets a value indicating whether operations complete synchronously (no timeout is needed).</summary>
    bool IsSynchronous { get; }

    /// <summary>Reads a vector; a value that does not match <paramref name="check"/> or is damaged is reported as
    /// <see cref="EmbeddingCacheRead.Corrupt"/>.</summary>
    ValueTask<EmbeddingCacheRead> GetAsync(string key, ulong check, CancellationToken cancellationToken);

    /// <summary>Writes a vector and returns the number of value bytes written.</summary>
    ValueTask<int> SetAsync(string key, ulong check, ReadOnlyMemory<float> vector, CancellationToken cancellationToken);
}
