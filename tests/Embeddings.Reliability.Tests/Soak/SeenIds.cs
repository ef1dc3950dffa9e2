namespace Embeddings.Reliability.Soak;

/// <summary>One bit per input id (ids count up from 1): which inputs got a vector, in about 1 MiB per 8 million.</summary>
internal sealed class SeenIds
{
    private const int ChunkBits = 1 << 20;

    private readonly List<ulong[]> _chunks = [];
    private readonly Lock _gate = new();
    private long _count;

    public long Count => Interlocked.Read(ref _count);

    /// <summary>Marks an id; returns <see langword="false"/> when it was marked already.</summary>
    public bool Add(long id)
    {
        lock (_gate)
        {
            int chunk = (int)(id / ChunkBits);
            while (_chunks.Count <= chunk)
            {
                _chunks.Add(new ulong[ChunkBits / 64]);
            }

            long bit = id % ChunkBits;
            ulong mask = 1UL << (int)(bit % 64);
            ref ulong word = ref _chunks[chunk][bit / 64];
            if ((word & mask) != 0)
            {
                return false;
            }

            word |= mask;
            _count++;
            return true;
        }
    }
}
