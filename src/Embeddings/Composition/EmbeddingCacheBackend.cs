namespace Embeddings.Composition;

/// <summary>Where a <see cref="CachingEmbeddingProvider"/> keeps its vectors.</summary>
public enum EmbeddingCacheBackend
{
    /// <summary>An in-process <c>MemoryCache</c> owned by the provider, bounded by
    /// <see cref="EmbeddingCacheOptions.MemorySizeLimitBytes"/>.</summary>
    Memory,

    /// <summary>The application's <c>IDistributedCache</c> (Redis, SQL Server, ...), shared across processes.</summary>
    Distributed,
}
