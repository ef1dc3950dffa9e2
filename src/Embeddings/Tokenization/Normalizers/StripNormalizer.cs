namespace Embeddings.Tokenization;

/// <summary>Removes leading and/or trailing whitespace.</summary>
internal sealed class StripNormalizer(bool left, bool right) : Normalizer
{
    public bool Left { get; } = left;

    public bool Right { get; } = right;

    public override Piece Normalize(Workspace ws, Piece piece)
    {
        ReadOnlySpan<char> text = ws.Span(piece);
        int start = 0, end = text.Length;
        if (Left)
        {
            while (start < end)
            {
                int cp = UnicodeChars.CodePointAt(text, start, out int n);
                if (!UnicodeChars.IsWhitespace(cp))
                {
                    break;
                }

                start += n;
            }
        }

        if (Right)
        {
            while (end > start)
            {
                int cp = UnicodeChars.CodePointBefore(text, end, out int n);
                if (!UnicodeChars.IsWhitespace(cp))
                {
                    break;
                }

                end -= n;
            }
        }

        // Kept characters keep their own alignment, so the result is a plain slice.
        if (start == 0 && end == text.Length)
        {
            return piece;
        }

        return new Piece
        {
            Start = piece.Start + start,
            Length = end - start,
            OriginalStart = piece.OriginalStart,
            OriginalEnd = piece.OriginalEnd,
            TokenId = -1,
        };
    }
}
