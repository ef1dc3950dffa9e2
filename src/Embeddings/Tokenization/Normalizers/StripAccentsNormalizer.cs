namespace Embeddings.Tokenization;

/// <summary>Removes combining marks (Mn, Mc and Me, as Rust's <c>is_combining_mark</c>); meant to follow NFD.</summary>
internal sealed class StripAccentsNormalizer : Normalizer
{
    public static readonly StripAccentsNormalizer Instance = new();

    public override Piece Normalize(Workspace ws, Piece piece) => Filter(ws, piece, static cp => !UnicodeChars.IsMark(cp));

    /// <summary>Keeps the characters a predicate accepts; kept characters keep their alignment
    /// (Hugging Face's <c>NormalizedString::filter</c>).</summary>
    public static Piece Filter(Workspace ws, Piece piece, Func<int, bool> keep)
    {
        ReadOnlySpan<char> text = ws.Span(piece);
        bool any = false;
        for (int i = 0; i < text.Length;)
        {
            int cp = UnicodeChars.CodePointAt(text, i, out int n);
            if (!keep(cp))
            {
                any = true;
                break;
            }

            i += n;
        }

        if (!any)
        {
            return piece;
        }

        TransformWriter w = ws.BeginTransform(piece);
        for (int i = 0; i < piece.Length;)
        {
            int cp = UnicodeChars.CodePointAt(ws.Span(piece), i, out int n);
            if (keep(cp))
            {
                w.Emit(cp, 0);
            }
            else
            {
                w.Skip(1);
            }

            i += n;
        }

        return w.Finish();
    }
}
