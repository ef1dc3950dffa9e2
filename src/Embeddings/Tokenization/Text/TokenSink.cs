namespace Embeddings.Tokenization;

/// <summary>The tokens a model produced for the current input: ids and offsets in the original input.</summary>
internal sealed class TokenSink
{
    public int[] Ids = new int[64];
    public int[] Starts = new int[64];
    public int[] Ends = new int[64];
    public int Count;

    /// <summary>The text of added tokens whose match differs from their content (stripped whitespace), by index.</summary>
    public Dictionary<int, string>? Values;

    public void Clear()
    {
        Count = 0;
        Values?.Clear();
    }

    public void Add(int id, int start, int end)
    {
        if (Count == Ids.Length)
        {
            Array.Resize(ref Ids, Count * 2);
            Array.Resize(ref Starts, Count * 2);
            Array.Resize(ref Ends, Count * 2);
        }

        Ids[Count] = id;
        Starts[Count] = start;
        Ends[Count] = end;
        Count++;
    }

    /// <summary>Adds a token whose offsets are relative to a piece, converting them through the piece's alignments.</summary>
    public void AddRelative(Workspace ws, in Piece piece, int id, int start, int end)
    {
        if (end > start)
        {
            Add(id, ws.AlignStart[piece.Start + start], ws.AlignEnd[piece.Start + end - 1]);
        }
        else
        {
            Add(id, piece.OriginalStart + start, piece.OriginalStart + start);
        }
    }
}
