using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace Embeddings.Tokenization;

/// <summary>
/// Vocabulary tokens as UTF-8 bytes → id, in one byte arena with an open-addressing index. Loading uses it to
/// resolve hundreds of thousands of merges straight from the JSON's UTF-8 without creating strings.
/// </summary>
internal sealed class Utf8TokenTable
{
    private byte[] _arena;
    private int _arenaUsed;
    private int[] _offsets;
    private int[] _lengths;
    private int[] _ids;
    private int _count;
    private int[] _slots;
    private int _mask;

    public Utf8TokenTable(int capacity)
    {
        capacity = Math.Max(capacity, 16);
        _arena = new byte[capacity * 8];
        _offsets = new int[capacity];
        _lengths = new int[capacity];
        _ids = new int[capacity];
        int size = (int)BitOperations.RoundUpToPowerOf2((uint)(capacity * 2));
        _slots = new int[size];
        Array.Fill(_slots, -1);
        _mask = size - 1;
    }

    public int Count => _count;

    /// <summary>Adds or replaces a token (a later entry for the same token wins, as in a JSON map).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Set(ReadOnlySpan<byte> token, int id)
    {
        int slot = Find(token, Hash(token));
        if (_slots[slot] >= 0)
        {
            _ids[_slots[slot]] = id;
            return;
        }

        if (_count == _offsets.Length)
        {
            Grow();
            slot = Find(token, Hash(token));
        }

        if (_arenaUsed + token.Length > _arena.Length)
        {
            Array.Resize(ref _arena, Math.Max(_arena.Length * 2, _arenaUsed + token.Length));
        }

        token.CopyTo(_arena.AsSpan(_arenaUsed));
        _offsets[_count] = _arenaUsed;
        _lengths[_count] = token.Length;
        _ids[_count] = id;
        _arenaUsed += token.Length;
        _slots[slot] = _count++;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryGetId(ReadOnlySpan<byte> token, out int id)
    {
        int entry = _slots[Find(token, Hash(token))];
        if (entry < 0)
        {
            id = -1;
            return false;
        }

        id = _ids[entry];
        return true;
    }

    /// <summary>Gets the id of the i-th entry.</summary>
    public int IdAt(int entry) => _ids[entry];

    /// <summary>Gets the UTF-8 bytes of the i-th entry.</summary>
    public ReadOnlySpan<byte> TokenAt(int entry) => _arena.AsSpan(_offsets[entry], _lengths[entry]);

    private int Find(ReadOnlySpan<byte> token, ulong hash)
    {
        int slot = (int)(hash >> 32) & _mask;
        while (true)
        {
            int entry = _slots[slot];
            if (entry < 0 || (_lengths[entry] == token.Length && _arena.AsSpan(_offsets[entry], token.Length).SequenceEqual(token)))
            {
                return slot;
            }

            slot = (slot + 1) & _mask;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Grow()
    {
        int capacity = _offsets.Length * 2;
        Array.Resize(ref _offsets, capacity);
        Array.Resize(ref _lengths, capacity);
        Array.Resize(ref _ids, capacity);
        int size = (int)BitOperations.RoundUpToPowerOf2((uint)(capacity * 2));
        _slots = new int[size];
        Array.Fill(_slots, -1);
        _mask = size - 1;
        for (int i = 0; i < _count; i++)
        {
            ReadOnlySpan<byte> token = _arena.AsSpan(_offsets[i], _lengths[i]);
            _slots[Find(token, Hash(token))] = i;
        }
    }

    // A fast 64-bit multiply-mix over 8-byte blocks; tokens are short and the table is never exposed to input.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Hash(ReadOnlySpan<byte> data)
    {
        ulong h = 0x9E3779B97F4A7C15UL ^ (ulong)data.Length;
        while (data.Length >= 8)
        {
            h = (h ^ BinaryPrimitives.ReadUInt64LittleEndian(data)) * 0xBF58476D1CE4E5B9UL;
            h ^= h >> 29;
            data = data[8..];
        }

        ulong tail = 0;
        for (int i = 0; i < data.Length; i++)
        {
            tail |= (ulong)data[i] << (8 * i);
        }

        h = (h ^ tail) * 0x94D049BB133111EBUL;
        return h ^ (h >> 31);
    }
}
