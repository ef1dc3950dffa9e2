namespace Embeddings.Tokenization;

/// <summary>
/// The output of a pattern search over a piece: contiguous ranges covering the whole piece, each flagged as a match
/// of the pattern or not (Hugging Face's <c>Pattern::find_matches</c>).
/// </summary>
internal sealed class MatchList
{
    private int[] _starts = new int[32];
    private int[] _ends = new int[32];
    private bool[] _isMatch = new bool[32];

    public int Count { get; private set; }

    public int Start(int i) => _starts[i];

    public int End(int i) => _ends[i];

    public bool IsMatch(int i) => _isMatch[i];

    public void Clear() => Count = 0;

    /// <summary>Starts a search: clears the list and, for empty text, records the single empty gap Hugging Face
    /// reports. Returns whether the text was empty.</summary>
    public bool Begin(ReadOnlySpan<char> text)
    {
        Count = 0;
        if (!text.IsEmpty)
        {
            return false;
        }

        Add(0, 0, false);
        return true;
    }

    public void Add(int start, int end, bool isMatch)
    {
        if (Count == _starts.Length)
        {
            Array.Resize(ref _starts, Count * 2);
            Array.Resize(ref _ends, Count * 2);
            Array.Resize(ref _isMatch, Count * 2);
        }

        _starts[Count] = start;
        _ends[Count] = end;
        _isMatch[Count] = isMatch;
        Count++;
    }

    public void SetIsMatch(int i, bool isMatch) => _isMatch[i] = isMatch;

    /// <summary>Adds the gap before a match (if any) and the match, as every pattern does.</summary>
    public void AddMatch(ref int previousEnd, int start, int end)
    {
        if (previousEnd != start)
        {
            Add(previousEnd, start, false);
        }

        Add(start, end, true);
        previousEnd = end;
    }

    /// <summary>Adds the trailing gap after the last match (if any).</summary>
    public void Finish(int previousEnd, int length)
    {
        if (previousEnd != length)
        {
            Add(previousEnd, length, false);
        }
    }
}
