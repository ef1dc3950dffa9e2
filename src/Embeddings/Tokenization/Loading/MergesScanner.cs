using System.Buffers;
using System.Buffers.Text;
using System.Runtime.CompilerServices;
using System.Text;

namespace Embeddings.Tokenization;

/// <summary>
/// Reads a tokenizer.json <c>merges</c> array (<c>["a b", ...]</c> or <c>[["a", "b"], ...]</c>) with a purpose-built
/// scanner that jumps over the pretty-printing whitespace, so it can run on another core while the main reader
/// validates the same bytes. Anything outside that shape is a <see cref="FormatException"/>.
/// </summary>
internal static class MergesScanner
{
    private static readonly SearchValues<byte> s_quoteOrEscape = SearchValues.Create("\"\\"u8);
    private static readonly SearchValues<byte> s_whitespace = SearchValues.Create(" \t\r\n"u8);

    /// <summary>Parses the merges array starting at <paramref name="start"/> (its opening bracket).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static PairMap Scan(ReadOnlyMemory<byte> json, int start, Utf8TokenTable vocab, string? prefix)
    {
        ReadOnlySpan<byte> s = json.Span;
        var merges = new PairMap(Math.Max(16, vocab.Count));
        byte[] left = new byte[256], right = new byte[256], joined = new byte[512];
        int prefixLength = prefix is null ? 0 : Encoding.UTF8.GetByteCount(prefix);
        int pos = Expect(s, start, (byte)'[');
        int rank = 0;
        pos = SkipWhitespace(s, pos);
        if (At(s, pos) == ']')
        {
            return merges;
        }

        while (true)
        {
            ReadOnlySpan<byte> a, b;
            byte c = At(s, pos);
            if (c == '"')
            {
                ReadOnlySpan<byte> line = ReadString(s, ref pos, ref left);
                int space = line.IndexOf((byte)' ');
                if (space < 0 || line[(space + 1)..].Contains((byte)' '))
                {
                    throw new FormatException($"merge {rank + 1} is not two tokens separated by one space");
                }

                a = line[..space];
                b = line[(space + 1)..];
            }
            else if (c == '[')
            {
                pos = SkipWhitespace(s, pos + 1);
                a = ReadString(s, ref pos, ref left);
                pos = Expect(s, SkipWhitespace(s, pos), (byte)',');
                pos = SkipWhitespace(s, pos);
                b = ReadString(s, ref pos, ref right);
                pos = Expect(s, SkipWhitespace(s, pos), (byte)']');
            }
            else
            {
                throw new FormatException($"merge {rank + 1} is neither a string nor a pair");
            }

            if (!vocab.TryGetId(a, out int aId) || !vocab.TryGetId(b, out int bId))
            {
                throw new FormatException($"merge {rank + 1} uses a token that is not in the vocabulary");
            }

            if (b.Length < prefixLength)
            {
                throw new FormatException($"merge {rank + 1} is shorter than the continuing-subword prefix");
            }

            int length = a.Length + b.Length - prefixLength;
            if (joined.Length < length)
            {
                joined = new byte[length * 2];
            }

            a.CopyTo(joined);
            b[prefixLength..].CopyTo(joined.AsSpan(a.Length));
            if (!vocab.TryGetId(joined.AsSpan(0, length), out int mergedId))
            {
                throw new FormatException($"the result of merge {rank + 1} is not in the vocabulary");
            }

            merges.Set(aId, bId, rank, mergedId);
            rank++;

            pos = SkipWhitespace(s, pos);
            c = At(s, pos);
            if (c == ']')
            {
                return merges;
            }

            pos = SkipWhitespace(s, Expect(s, pos, (byte)','));
        }
    }

    // A JSON string at pos (its opening quote); on return pos is after the closing quote. Escapes are decoded
    // into the buffer; plain strings are returned in place.
    private static ReadOnlySpan<byte> ReadString(ReadOnlySpan<byte> s, scoped ref int pos, scoped ref byte[] buffer)
    {
        int open = Expect(s, pos, (byte)'"');
        int stop = s[open..].IndexOfAny(s_quoteOrEscape);
        if (stop < 0)
        {
            throw new FormatException("an unterminated string in the merges");
        }

        if (s[open + stop] == '"')
        {
            pos = open + stop + 1;
            return s.Slice(open, stop);
        }

        // Escaped: copy up to the escape, then decode.
        if (buffer.Length < 64)
        {
            buffer = new byte[64];
        }

        int n = 0;
        int i = open;
        while (true)
        {
            if (i >= s.Length)
            {
                throw new FormatException("an unterminated string in the merges");
            }

            byte c = s[i];
            if (c == '"')
            {
                pos = i + 1;
                return buffer.AsSpan(0, n);
            }

            if (n + 4 > buffer.Length)
            {
                Array.Resize(ref buffer, buffer.Length * 2);
            }

            if (c != '\\')
            {
                buffer[n++] = c;
                i++;
                continue;
            }

            byte e = At(s, i + 1);
            i += 2;
            switch (e)
            {
                case (byte)'"' or (byte)'\\' or (byte)'/':
                    buffer[n++] = e;
                    break;
                case (byte)'b':
                    buffer[n++] = 0x08;
                    break;
                case (byte)'f':
                    buffer[n++] = 0x0C;
                    break;
                case (byte)'n':
                    buffer[n++] = (byte)'\n';
                    break;
                case (byte)'r':
                    buffer[n++] = (byte)'\r';
                    break;
                case (byte)'t':
                    buffer[n++] = (byte)'\t';
                    break;
                case (byte)'u':
                {
                    int cp = Hex4(s, i);
                    i += 4;
                    if (cp is >= 0xD800 and <= 0xDBFF && At(s, i) == '\\' && At(s, i + 1) == 'u')
                    {
                        int low = Hex4(s, i + 2);
                        if (low is >= 0xDC00 and <= 0xDFFF)
                        {
                            cp = char.ConvertToUtf32((char)cp, (char)low);
                            i += 6;
                        }
                    }

                    if (!Rune.IsValid(cp))
                    {
                        throw new FormatException("an unpaired surrogate escape in the merges");
                    }

                    n += new Rune(cp).EncodeToUtf8(buffer.AsSpan(n));
                    break;
                }

                default:
                    throw new FormatException("an invalid escape in the merges");
            }
        }
    }

    private static int Hex4(ReadOnlySpan<byte> s, int at)
    {
        if (at + 4 > s.Length || !Utf8Parser.TryParse(s.Slice(at, 4), out ushort value, out int consumed, 'X') || consumed != 4)
        {
            throw new FormatException("an invalid \\u escape in the merges");
        }

        return value;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int SkipWhitespace(ReadOnlySpan<byte> s, int pos)
    {
        if (pos < s.Length && !s_whitespace.Contains(s[pos]))
        {
            return pos;
        }

        int next = pos < s.Length ? s[pos..].IndexOfAnyExcept(s_whitespace) : -1;
        return next < 0 ? s.Length : pos + next;
    }

    private static int Expect(ReadOnlySpan<byte> s, int pos, byte expected) =>
        At(s, pos) == expected ? pos + 1 : throw new FormatException($"expected '{(char)expected}' in the merges");

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static byte At(ReadOnlySpan<byte> s, int pos) => pos < s.Length ? s[pos] : (byte)0;
}
