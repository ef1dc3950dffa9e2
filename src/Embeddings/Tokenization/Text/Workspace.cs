using System.Runtime.CompilerServices;

namespace Embeddings.Tokenization;

/// <summary>
/// Per-thread scratch space for encoding one text: an append-only arena of normalized characters, each aligned to
/// the range of the original input it came from, the current list of pieces, and the tokens produced so far.
/// It replaces Hugging Face's per-split <c>NormalizedString</c> objects without allocating per piece.
/// </summary>
/// <remarks>Offsets are UTF-16 code units of the original input. Alignment rules follow Hugging Face's
/// <c>NormalizedString::transform_range</c> exactly, so token offsets match the Rust library's.</remarks>
internal sealed class Workspace
{
    private Piece[] _next = new Piece[16];
    private int _nextCount;

    public Workspace()
    {
        Text = new char[256];
        AlignStart = new int[256];
        AlignEnd = new int[256];
    }

    /// <summary>Gets the input being encoded.</summary>
    public string Original { get; private set; } = string.Empty;

    public char[] Text;
    public int[] AlignStart;
    public int[] AlignEnd;
    public int Used;

    public Piece[] Pieces = new Piece[16];
    public int PieceCount;

    /// <summary>Scratch for pattern searches.</summary>
    public readonly MatchList Matches = new();

    /// <summary>The tokens produced for the current input.</summary>
    public readonly TokenSink Tokens = new();

    /// <summary>Scratch integers for models.</summary>
    public int[] Ints = new int[256];

    /// <summary>Scratch characters for lookups.</summary>
    public char[] Chars = new char[256];

    /// <summary>Starts a new input.</summary>
    public void Reset(string original)
    {
        Original = original;
        Used = 0;
        PieceCount = 0;
        _nextCount = 0;
        Tokens.Clear();
    }

    /// <summary>Copies a range of the original input into the arena with identity alignment.</summary>
    public Piece AddOriginal(int start, int end)
    {
        int length = end - start;
        EnsureCapacity(Used + length);
        int dest = Used;
        ReadOnlySpan<char> source = Original.AsSpan(start, length);
        source.CopyTo(Text.AsSpan(dest));
        for (int i = 0; i < length; i++)
        {
            int at = start + i;
            if (char.IsHighSurrogate(source[i]) && i + 1 < length && char.IsLowSurrogate(source[i + 1]))
            {
                AlignStart[dest + i] = at;
                AlignEnd[dest + i] = at + 2;
                AlignStart[dest + i + 1] = at;
                AlignEnd[dest + i + 1] = at + 2;
                i++;
            }
            else
            {
                AlignStart[dest + i] = at;
                AlignEnd[dest + i] = at + 1;
            }
        }

        Used += length;
        return new Piece { Start = dest, Length = length, OriginalStart = start, OriginalEnd = end, TokenId = -1 };
    }

    /// <summary>Gets the characters of a piece. Valid until the arena next grows.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ReadOnlySpan<char> Span(in Piece piece) => new(Text, piece.Start, piece.Length);

    /// <summary>Starts rewriting a piece character by character (Hugging Face's <c>transform</c>).</summary>
    public TransformWriter BeginTransform(in Piece piece) => new(this, piece);

    /// <summary>Takes a sub-range of a piece (Hugging Face's <c>NormalizedString::slice</c> with normalized offsets).</summary>
    public Piece Slice(in Piece piece, int start, int end)
    {
        var slice = new Piece { Start = piece.Start + start, Length = end - start, TokenId = -1 };
        if (end > start)
        {
            slice.OriginalStart = AlignStart[piece.Start + start];
            slice.OriginalEnd = AlignEnd[piece.Start + end - 1];
        }
        else
        {
            slice.OriginalStart = piece.OriginalStart + start;
            slice.OriginalEnd = slice.OriginalStart;
        }

        return slice;
    }

    /// <summary>Prepends a string to a piece: the new characters share the first character's alignment.</summary>
    public Piece Prepend(in Piece piece, ReadOnlySpan<char> prefix)
    {
        if (piece.Length == 0)
        {
            return piece;
        }

        TransformWriter w = BeginTransform(piece);
        bool first = true;
        for (int i = 0; i < prefix.Length;)
        {
            int cp = UnicodeChars.CodePointAt(prefix, i, out int n);
            w.Emit(cp, first ? 0 : 1);
            first = false;
            i += n;
        }

        int head = UnicodeChars.CodePointAt(Span(piece), 0, out _);
        w.Emit(head, 1);
        w.CopyRest();
        return w.Finish();
    }

    /// <summary>Starts a pass that replaces the piece list.</summary>
    public void BeginPass() => _nextCount = 0;

    /// <summary>Keeps a piece as is in the current pass.</summary>
    public void Keep(in Piece piece)
    {
        if (_nextCount == _next.Length)
        {
            Array.Resize(ref _next, _nextCount * 2);
        }

        _next[_nextCount++] = piece;
    }

    /// <summary>Adds a piece produced by a split in the current pass; empty pieces are dropped, as Hugging Face does.</summary>
    public void Emit(in Piece piece)
    {
        if (piece.Length > 0)
        {
            Keep(piece);
        }
    }

    /// <summary>Ends the pass: the pieces added become the current list.</summary>
    public void EndPass()
    {
        (Pieces, _next) = (_next, Pieces);
        PieceCount = _nextCount;
        _nextCount = 0;
    }

    /// <summary>Splits a piece on the matches in <see cref="Matches"/> with the given behavior and emits the parts
    /// (Hugging Face's <c>NormalizedString::split</c>).</summary>
    public void EmitSplits(in Piece piece, SplitBehavior behavior)
    {
        MatchList m = Matches;
        int count = m.Count;
        switch (behavior)
        {
            case SplitBehavior.Isolated:
                for (int i = 0; i < count; i++)
                {
                    Emit(Slice(piece, m.Start(i), m.End(i)));
                }

                break;
            case SplitBehavior.Removed:
                for (int i = 0; i < count; i++)
                {
                    if (!m.IsMatch(i))
                    {
                        Emit(Slice(piece, m.Start(i), m.End(i)));
                    }
                }

                break;
            case SplitBehavior.Contiguous:
            case SplitBehavior.MergedWithPrevious:
            {
                // Contiguous joins runs of equal kind; MergedWithPrevious joins a match to the part before it.
                bool contiguous = behavior == SplitBehavior.Contiguous;
                bool previousMatch = false;
                int start = -1, end = -1;
                for (int i = 0; i < count; i++)
                {
                    bool isMatch = m.IsMatch(i);
                    bool join = start >= 0 && (contiguous ? isMatch == previousMatch : isMatch && !previousMatch);
                    if (join)
                    {
                        end = m.End(i);
                    }
                    else
                    {
                        if (start >= 0)
                        {
                            Emit(Slice(piece, start, end));
                        }

                        start = m.Start(i);
                        end = m.End(i);
                    }

                    previousMatch = isMatch;
                }

                if (start >= 0)
                {
                    Emit(Slice(piece, start, end));
                }

                break;
            }

            case SplitBehavior.MergedWithNext:
            {
                // Walk backwards: a match is glued to the start of the part after it.
                Span<int> starts = count <= 128 ? stackalloc int[count] : new int[count];
                Span<int> ends = count <= 128 ? stackalloc int[count] : new int[count];
                int n = 0;
                bool previousMatch = false;
                for (int i = count - 1; i >= 0; i--)
                {
                    bool isMatch = m.IsMatch(i);
                    if (isMatch && !previousMatch && n > 0)
                    {
                        starts[n - 1] = m.Start(i);
                    }
                    else
                    {
                        starts[n] = m.Start(i);
                        ends[n] = m.End(i);
                        n++;
                    }

                    previousMatch = isMatch;
                }

                for (int i = n - 1; i >= 0; i--)
                {
                    Emit(Slice(piece, starts[i], ends[i]));
                }

                break;
            }
        }
    }

    /// <summary>Makes room for at least <paramref name="capacity"/> characters in the arena.</summary>
    public void EnsureCapacity(int capacity)
    {
        if (capacity > Text.Length)
        {
            int size = Math.Max(capacity, Text.Length * 2);
            Array.Resize(ref Text, size);
            Array.Resize(ref AlignStart, size);
            Array.Resize(ref AlignEnd, size);
        }
    }

    /// <summary>Gets a scratch integer buffer of at least the given size.</summary>
    public int[] RentInts(int size)
    {
        if (Ints.Length < size)
        {
            Ints = new int[Math.Max(size, Ints.Length * 2)];
        }

        return Ints;
    }

    /// <summary>Gets a scratch character buffer of at least the given size.</summary>
    public char[] RentChars(int size)
    {
        if (Chars.Length < size)
        {
            Chars = new char[Math.Max(size, Chars.Length * 2)];
        }

        return Chars;
    }
}
