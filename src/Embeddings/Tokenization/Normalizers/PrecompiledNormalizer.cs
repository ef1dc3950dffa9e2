using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace Embeddings.Tokenization;

/// <summary>
/// SentencePiece's precompiled character map (a darts-clone double-array trie of replacement rules), applied the
/// way Hugging Face applies it: per extended grapheme cluster shorter than 6 UTF-8 bytes, else per character, each
/// replaced by the rule of its shortest matching prefix.
/// </summary>
internal sealed class PrecompiledNormalizer : Normalizer
{
    private readonly uint[] _trie;
    private readonly byte[] _normalized;
    private readonly ConcurrentDictionary<int, string> _replacements = new();

    public PrecompiledNormalizer(byte[] charsmap)
    {
        if (charsmap.Length < 4)
        {
            throw new FormatException("the precompiled_charsmap is too short");
        }

        uint trieSize = BinaryPrimitives.ReadUInt32LittleEndian(charsmap);
        if (trieSize % 4 != 0 || 4 + (long)trieSize > charsmap.Length || trieSize == 0)
        {
            throw new FormatException("the precompiled_charsmap has an invalid trie size");
        }

        _trie = new uint[trieSize / 4];
        for (int i = 0; i < _trie.Length; i++)
        {
            _trie[i] = BinaryPrimitives.ReadUInt32LittleEndian(charsmap.AsSpan(4 + (i * 4)));
        }

        _normalized = charsmap[(4 + (int)trieSize)..];
    }

    public override Piece Normalize(Workspace ws, Piece piece)
    {
        ReadOnlySpan<char> text = ws.Span(piece);
        if (text.IsEmpty || !AnyRule(text))
        {
            return piece;
        }

        // Hugging Face builds (char, change) pairs first: a shorter replacement folds its removal into the
        // previous pair, even when the replacement is empty and that pair belongs to an earlier character.
        var changes = new List<(int Cp, int Change)>(piece.Length);
        int i = 0;
        while (i < piece.Length)
        {
            ReadOnlySpan<char> current = ws.Span(piece);
            int length = StringInfo.GetNextTextElementLength(current[i..]);
            ReadOnlySpan<char> grapheme = current.Slice(i, length);
            if (Encoding.UTF8.GetByteCount(grapheme) < 6 && Transform(grapheme) is { } whole)
            {
                Replace(changes, UnicodeChars.CountCodePoints(grapheme), whole);
            }
            else
            {
                for (int k = 0; k < grapheme.Length;)
                {
                    int cp = UnicodeChars.CodePointAt(grapheme, k, out int n);
                    if (Transform(grapheme.Slice(k, n)) is { } single)
                    {
                        Replace(changes, 1, single);
                    }
                    else
                    {
                        changes.Add((cp, 0));
                    }

                    k += n;
                }
            }

            i += length;
        }

        TransformWriter w = ws.BeginTransform(piece);
        foreach ((int cp, int change) in changes)
        {
            w.Emit(cp, change);
        }

        return w.Finish();
    }

    private static void Replace(List<(int Cp, int Change)> changes, int oldCount, string replacement)
    {
        int newCount = 0;
        for (int k = 0; k < replacement.Length;)
        {
            changes.Add((UnicodeChars.CodePointAt(replacement, k, out int n), 0));
            newCount++;
            k += n;
        }

        int diff = newCount - oldCount;
        if (diff > 0)
        {
            for (int k = changes.Count - diff; k < changes.Count; k++)
            {
                changes[k] = (changes[k].Cp, 1);
            }
        }
        else if (diff < 0 && changes.Count > 0)
        {
            changes[^1] = (changes[^1].Cp, changes[^1].Change + diff);
        }
    }

    private bool AnyRule(ReadOnlySpan<char> text)
    {
        for (int i = 0; i < text.Length;)
        {
            UnicodeChars.CodePointAt(text, i, out int n);
            if (n == 2 || text[i] >= 0x80 || text[i] == '\r' || Transform(text.Slice(i, n)) is not null)
            {
                // Multi-character graphemes can match even when single characters do not; take the full path.
                return true;
            }

            i += n;
        }

        return false;
    }

    private string? Transform(ReadOnlySpan<char> chunk)
    {
        Span<byte> key = stackalloc byte[64];
        if (!Encoding.UTF8.TryGetBytes(chunk, key, out int length))
        {
            key = new byte[Encoding.UTF8.GetByteCount(chunk)];
            length = Encoding.UTF8.GetBytes(chunk, key);
        }

        int value = ShortestPrefixValue(key[..length]);
        return value < 0 ? null : _replacements.GetOrAdd(value, ReplacementAt);
    }

    // darts-clone unit layout: bit 8 = has leaf, low 31 bits = value, label = low 8 bits | bit 31,
    // offset = (unit >> 10) << ((unit & (1 << 9)) >> 6).
    private int ShortestPrefixValue(ReadOnlySpan<byte> key)
    {
        uint[] a = _trie;
        long pos = 0;
        uint unit = a[0];
        pos ^= Offset(unit);
        foreach (byte c in key)
        {
            if (c == 0)
            {
                break;
            }

            pos ^= c;
            if (pos < 0 || pos >= a.Length)
            {
                return -1;
            }

            unit = a[pos];
            if ((unit & ((1u << 31) | 0xFF)) != c)
            {
                return -1;
            }

            pos ^= Offset(unit);
            if (((unit >> 8) & 1) == 1)
            {
                return pos < a.Length ? (int)(a[pos] & ((1u << 31) - 1)) : -1;
            }
        }

        return -1;
    }

    private static long Offset(uint unit) => (unit >> 10) << (int)((unit & (1u << 9)) >> 6);

    private string ReplacementAt(int index)
    {
        int end = index;
        while (end < _normalized.Length && _normalized[end] != 0)
        {
            end++;
        }

        return index <= _normalized.Length ? Encoding.UTF8.GetString(_normalized, index, end - index) : string.Empty;
    }
}
