namespace Embeddings.Tokenization;

/// <summary>Replaces every match of a pattern (literal or regex) with a string. Replacement characters are aligned
/// with the last character of the match they replace.</summary>
internal sealed class ReplaceNormalizer(SplitPattern pattern, string content) : Normalizer
{
    public SplitPattern Pattern { get; } = pattern;

    public string Content { get; } = content;

    public override Piece Normalize(Workspace ws, Piece piece) => Replace(ws, piece, Pattern, Content);

    public static Piece Replace(Workspace ws, Piece piece, SplitPattern pattern, string content)
    {
        MatchList m = ws.Matches;
        pattern.FindMatches(ws.Span(piece), m);
        bool any = false;
        for (int i = 0; i < m.Count; i++)
        {
            if (m.IsMatch(i))
            {
                any = true;
                break;
            }
        }

        if (!any)
        {
            return piece;
        }

        // Fast path: one character replaced by one character everywhere keeps every alignment; rewrite in place.
        if (content.Length == 1 && !char.IsSurrogate(content[0]) && SingleCharMatches(ws, piece, m))
        {
            for (int i = 0; i < m.Count; i++)
            {
                if (m.IsMatch(i))
                {
                    ws.Text[piece.Start + m.Start(i)] = content[0];
                }
            }

            return piece;
        }

        TransformWriter w = ws.BeginTransform(piece);
        int count = m.Count;
        for (int i = 0; i < count; i++)
        {
            int start = m.Start(i), end = m.End(i);
            if (!m.IsMatch(i))
            {
                for (int k = start; k < end;)
                {
                    int cp = UnicodeChars.CodePointAt(ws.Span(piece), k, out int n);
                    w.Emit(cp, 0);
                    k += n;
                }

                continue;
            }

            w.Skip(UnicodeChars.CountCodePoints(ws.Span(piece)[start..end]));
            for (int k = 0; k < content.Length;)
            {
                int cp = UnicodeChars.CodePointAt(content, k, out int n);
                w.Emit(cp, 1);
                k += n;
            }
        }

        return w.Finish();
    }

    private static bool SingleCharMatches(Workspace ws, in Piece piece, MatchList m)
    {
        for (int i = 0; i < m.Count; i++)
        {
            if (m.IsMatch(i) && (m.End(i) - m.Start(i) != 1 || char.IsSurrogate(ws.Text[piece.Start + m.Start(i)])))
            {
                return false;
            }
        }

        return true;
    }
}
