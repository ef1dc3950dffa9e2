namespace Embeddings.Tokenization;

/// <summary>Lowercases each character with Rust's full, context-free mapping (<c>char::to_lowercase</c>).</summary>
internal sealed class LowercaseNormalizer : Normalizer
{
    public static readonly LowercaseNormalizer Instance = new();

    public override Piece Normalize(Workspace ws, Piece piece) => Lowercase(ws, piece);

    public static Piece Lowercase(Workspace ws, Piece piece)
    {
        // Fast path: ASCII-only text is lowercased in place (one character for one, same alignment).
        Span<char> text = ws.Text.AsSpan(piece.Start, piece.Length);
        if (System.Text.Ascii.IsValid(text))
        {
            System.Text.Ascii.ToLowerInPlace(text, out _);
            return piece;
        }

        TransformWriter w = ws.BeginTransform(piece);
        Span<int> lower = stackalloc int[3];
        for (int i = 0; i < piece.Length;)
        {
            int cp = UnicodeChars.CodePointAt(ws.Span(piece), i, out int n);
            int count = UnicodeChars.ToLower(cp, lower);
            for (int k = 0; k < count; k++)
            {
                w.Emit(lower[k], k == 0 ? 0 : 1);
            }

            i += n;
        }

        return w.Finish();
    }
}
