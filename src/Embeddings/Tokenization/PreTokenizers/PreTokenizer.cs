namespace Embeddings.Tokenization;

/// <summary>A tokenizer.json pre-tokenizer: splits (and may rewrite) the pieces that are not tokens yet.</summary>
internal abstract class PreTokenizer
{
    /// <summary>Runs over every untokenized piece of the workspace.</summary>
    public virtual void PreTokenize(Workspace ws)
    {
        ws.BeginPass();
        int count = ws.PieceCount;
        for (int i = 0; i < count; i++)
        {
            Piece piece = ws.Pieces[i];
            if (piece.IsTokenized)
            {
                ws.Keep(piece);
            }
            else
            {
                Split(ws, piece);
            }
        }

        ws.EndPass();
    }

    /// <summary>Splits one piece, emitting the parts with <see cref="Workspace.Emit"/>.</summary>
    protected abstract void Split(Workspace ws, Piece piece);

    /// <summary>Finds a pattern's matches in a piece and emits the parts for a behavior.</summary>
    protected static void SplitOn(Workspace ws, in Piece piece, SplitPattern pattern, SplitBehavior behavior, bool invert = false)
    {
        pattern.FindMatches(ws.Span(piece), ws.Matches);
        if (invert)
        {
            MatchList m = ws.Matches;
            for (int i = 0; i < m.Count; i++)
            {
                m.SetIsMatch(i, !m.IsMatch(i));
            }
        }

        ws.EmitSplits(piece, behavior);
    }
}
