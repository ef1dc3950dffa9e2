namespace Embeddings.Tokenization;

/// <summary>GPT-2's byte-level pre-tokenizer: optional leading space, the GPT-2 split regex, then every UTF-8 byte
/// mapped to a printable character.</summary>
internal sealed class ByteLevelPreTokenizer(bool addPrefixSpace, bool trimOffsets, bool useRegex) : PreTokenizer
{
    public bool AddPrefixSpace { get; } = addPrefixSpace;

    public bool TrimOffsets { get; } = trimOffsets;

    public bool UseRegex { get; } = useRegex;

    public override void PreTokenize(Workspace ws)
    {
        base.PreTokenize(ws);
        for (int i = 0; i < ws.PieceCount; i++)
        {
            if (!ws.Pieces[i].IsTokenized)
            {
                ws.Pieces[i] = ByteLevelAlphabet.Map(ws, ws.Pieces[i]);
            }
        }
    }

    protected override void Split(Workspace ws, Piece piece)
    {
        if (AddPrefixSpace && (piece.Length == 0 || ws.Text[piece.Start] != ' '))
        {
            piece = ws.Prepend(piece, " ");
        }

        if (UseRegex)
        {
            SplitOn(ws, piece, Gpt2Pattern.Instance, SplitBehavior.Isolated);
        }
        else
        {
            ws.Emit(piece);
        }
    }
}
