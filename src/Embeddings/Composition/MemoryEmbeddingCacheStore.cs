using Microsoft.Extensions.Caching.Memory;

namespace Embeddings.Composition;

/// <summary>Vectors in an <see cref="IMemoryCache"/>, each entry sized in bytes so a <c>SizeLimit</c> bounds memory.</summary>
internal sealed class MemoryEmbeddingCacheStore(IMemoryCache cache, EmbeddingCacheOptions options) : IEmbeddingCacheStore
{
    /// <summary>An estimate of what an entry costs besides its vector's and key's characters: the cache entry, the
    /// dictionary node, the value object and the array and string headers.</summary>
    internal const int EntryOverheadBytes = 224;

    public string Backend => "memory";

    public bool IsSynchronous => true;

    /// <summary>Gets the size an entry is charged in the cache.</summary>
    public static long EntrySize(string key, int dimensions) => EntryOverheadBytes + (key.Length * 2L) + (dimensions * 4L);

    public ValueTask<EmbeddingCacheRead> GetAsync(string key, ulong check, CancellationToken cancellationToken)
    {
        if (!cache.TryGetValue(key, out object? value) || value is null)
        {
            return ValueTask.FromResult(EmbeddingCacheRead.Miss);
        }

        // A cache shared with the application could hold anything under this key.
        return ValueTask.FromResult(value is Entry entry && entry.Check == check
            ? new EmbeddingCacheRead(entry.Vector, entry.Vector.Length * sizeof(float), Corrupt: false)
            : new EmbeddingCacheRead(null, 0, Corrupt: true));
    }

    public ValueTask<int> SetAsync(string key, ulong check, ReadOnlyMemory<float> vector, CancellationToken cancellationToken)
    {
        // A copy: the inner provider's vector may be a slice of a larger buffer that the cache must not keep alive.
        var entry = new Entry(vector.ToArray(), check);
        using (ICacheEntry cacheEntry = cache.CreateEntry(key))
        {
            cacheEntry.Value = entry;
            cacheEntry.Size = EntrySize(key, vector.Length);
            cacheEntry.AbsoluteExpirationRelativeToNow = options.AbsoluteExpiration;
            cacheEntry.SlidingExpiration = options.SlidingExpiration;
        }

        return ValueTask.FromResult(vector.Length * sizeof(float));
    }

    private sealed record Entry(float[] Vector, ulong Check);
}
