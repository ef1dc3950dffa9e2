using System.Runtime.CompilerServices;

namespace Embeddings.Tokenization;

/// <summary>BPE merges: (left id, right id) → (rank, merged id), an open-addressing table tuned for the hot lookup.</summary>
internal sealed class PairMap
{
    private readonly long[] _keys;
    private readonly int[] _ranks;
    private readonly int[] _merged;
    private readonly int _mask;

    public PairMap(int capacity)
    {
        int size = 16;
        while (size < capacity * 2)
        {
            size <<= 1;
        }

        _keys = new long[size];
        Array.Fill(_keys, -1L);
        _ranks = new int[size];
        _merged = new int[size];
        _mask = size - 1;
    }

    public int Count { get; private set; }

    /// <summary>Sets a pair; a later merge of the same pair replaces the earlier one, as in Hugging Face's map.</summary>
    public void Set(int left, int right, int rank, int merged)
    {
        long key = ((long)left << 32) | (uint)right;
        int slot = Slot(key);
        while (_keys[slot] != -1L && _keys[slot] != key)
        {
            slot = (slot + 1) & _mask;
        }

        if (_keys[slot] == -1L)
        {
            Count++;
        }

        _keys[slot] = key;
        _ranks[slot] = rank;
        _merged[slot] = merged;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryGet(int left, int right, out int rank, out int merged)
    {
        long key = ((long)left << 32) | (uint)right;
        int slot = Slot(key);
        while (true)
        {
            long k = _keys[slot];
            if (k == key)
            {
                rank = _ranks[slot];
                merged = _merged[slot];
                return true;
            }

            if (k == -1L)
            {
                rank = 0;
                merged = 0;
                return false;
            }

            slot = (slot + 1) & _mask;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int Slot(long key)
    {
        ulong h = (ulong)key * 0x9E3779B97F4A7C15UL;
        return (int)(h >> 32) & _mask;
    }
}
