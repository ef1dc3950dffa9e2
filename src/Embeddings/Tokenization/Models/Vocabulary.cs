using System.Runtime.CompilerServices;
using System.Buffers;
using System.Text;

namespace Embeddings.Tokenization;

/// <summary>
/// A token ⇄ id map kept as UTF-8 (the form tokenizer.json stores it in), so loading a large vocabulary creates no
/// strings; token strings are decoded on demand. Lookups by UTF-16 span transcode the span first.
/// </summary>
internal sealed class Vocabulary
{
    private readonly Utf8TokenTable _table;
    private readonly int[] _entryOfId;
    private readonly string?[] _strings;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public Vocabulary(Utf8TokenTable table)
    {
        _table = table;
        int max = -1;
        for (int i = 0; i < table.Count; i++)
        {
            max = Math.Max(max, table.IdAt(i));
            MaxTokenBytes = Math.Max(MaxTokenBytes, table.TokenAt(i).Length);
        }

        _entryOfId = new int[max + 1];
        Array.Fill(_entryOfId, -1);
        for (int i = 0; i < table.Count; i++)
        {
            // Hugging Face's reverse map keeps one token per id; duplicated ids are unusual.
            ref int entry = ref _entryOfId[table.IdAt(i)];
            if (entry < 0)
            {
                entry = i;
            }
        }

        _strings = new string?[max + 1];
    }

    /// <summary>Builds a vocabulary from token strings (later duplicates replace earlier ones).</summary>
    public static Vocabulary From(IEnumerable<KeyValuePair<string, int>> entries)
    {
        var table = new Utf8TokenTable(1024);
        foreach (KeyValuePair<string, int> entry in entries)
        {
            table.Set(Encoding.UTF8.GetBytes(entry.Key), entry.Value);
        }

        return new Vocabulary(table);
    }

    /// <summary>Gets the number of entries.</summary>
    public int Count => _table.Count;

    /// <summary>Gets the UTF-8 length of the longest token, an upper bound of its UTF-16 length.</summary>
    public int MaxTokenBytes { get; }

    /// <summary>Gets the underlying UTF-8 table.</summary>
    public Utf8TokenTable Table => _table;

    public bool TryGetId(ReadOnlySpan<char> token, out int id)
    {
        int max = token.Length * 3;
        if (max > MaxTokenBytes + 4 && Encoding.UTF8.GetByteCount(token) > MaxTokenBytes)
        {
            id = -1;
            return false;
        }

        byte[]? rented = null;
        Span<byte> utf8 = max <= 256 ? stackalloc byte[256] : (rented = ArrayPool<byte>.Shared.Rent(max));
        try
        {
            int n = Encoding.UTF8.GetBytes(token, utf8);
            return _table.TryGetId(utf8[..n], out id);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    public int IdOrMinusOne(ReadOnlySpan<char> token) => TryGetId(token, out int id) ? id : -1;

    public string? TokenOf(int id)
    {
        if ((uint)id >= (uint)_entryOfId.Length || _entryOfId[id] < 0)
        {
            return null;
        }

        // Decoded once per id; a benign race at worst decodes the same string twice.
        return _strings[id] ??= Encoding.UTF8.GetString(_table.TokenAt(_entryOfId[id]));
    }
}
