using Microsoft.Extensions.Caching.Distributed;

namespace Embeddings.Composition;

/// <summary>Vectors in any <see cref="IDistributedCache"/>, in the compact <see cref="EmbeddingCacheValue"/> form.</summary>
internal sealed class DistributedEmbeddingCacheStore(IDistributedCache cache, EmbeddingCacheOptions options) : IEmbeddingCacheStore
{
    private readonly DistributedCacheEntryOptions _entryOptions = new()
    {
        AbsoluteExpirationRelativeToNow = options.AbsoluteExpiration,
        SlidingExpiration = options.SlidingExpiration,
    };

    public string Backend => "distributed";

    public bool IsSynchronous => false;

    public async ValueTask<EmbeddingCacheRead> GetAsync(string key, ulong check, CancellationToken cancellationToken)
    {
        byte[]? value = await cache.GetAsync(key, cancellationToken).ConfigureAwait(false);
        if (value is null)
        {
            return EmbeddingCacheRead.Miss;
        }

        float[]? vector = EmbeddingCacheValue.TryDeserialize(value, check);
        return new EmbeddingCacheRead(vector, value.Length, Corrupt: vector is null);
    }

    public async ValueTask<int> SetAsync(string key, ulong check, ReadOnlyMemory<float> vector, CancellationToken cancellationToken)
    {
        byte[] value = EmbeddingCacheValue.Serialize(vector.Span, check);
        await cache.SetAsync(key, value, _entryOptions, cancellationToken).ConfigureAwait(false);
        return value.Length;
    }
}
