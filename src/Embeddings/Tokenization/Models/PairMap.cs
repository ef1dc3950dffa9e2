using System.Numerics;
using System.Runtime.CompilerServices;

namespace Embeddings.Tokenization;

/// <summary>BPE merges: (left id, right id) → (rank, merged id), an open-addressing table tuned for the hot lookup.
/// Keys and values are packed in two arrays; the table doubles when half full.</summary>
internal sealed class PairMap
{
    private long[] _keys;
    private long[] _values;
    private int _mask;

    public PairMap(int capacity)
    {
        int size = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(16, capacity * 2));
        _keys = NewKeys(size);
        _values = new long[size];
        _mask = size - 1;
    }

    public int Count { get; private set; }

    /// <summary>Sets a pair; a later merge of the same pair replaces the earlier one, as in Hugging Face's map.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Set(int left, int right, int rank, int merged)
    {
        if ((Count + 1) * 2 > _keys.Length)
        {
            Grow();
        }

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
        _values[slot] = ((long)rank << 32) | (uint)merged;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryGet(int left, int right, out int rank, out int merged)
    {
        long key = ((long)left << 32) | (uint)right;
        long[] keys = _keys;
        int slot = Slot(key);
        while (true)
        {
            long k = keys[slot];
            if (k == key)
            {
                long v = _values[slot];
                rank = (int)(v >> 32);
                merged = (int)(uint)v;
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

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Grow()
    {
        long[] oldKeys = _keys, oldValues = _values;
        int size = oldKeys.Length * 2;
        _keys = NewKeys(size);
        _values = new long[size];
        _mask = size - 1;
        for (int i = 0; i < oldKeys.Length; i++)
        {
            long key = oldKeys[i];
            if (key == -1L)
            {
                continue;
            }

            int slot = Slot(key);
            while (_keys[slot] != -1L)
            {
                slot = (slot + 1) & _mask;
            }

            _keys[slot] = key;
            _values[slot] = oldValues[i];
        }
    }

    private static long[] NewKeys(int size)
    {
        long[] keys = GC.AllocateUninitializedArray<long>(size);
        Array.Fill(keys, -1L);
        return keys;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int Slot(long key)
    {
        ulong h = (ulong)key * 0x9E3779B97F4A7C15UL;
        return (int)(h >> 32) & _mask;
    }
}
