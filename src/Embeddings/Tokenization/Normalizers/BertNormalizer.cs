using System.Text;

namespace Embeddings.Tokenization;

/// <summary>BERT's normalizer: drop control characters and map whitespace to spaces, pad CJK ideographs with spaces,
/// strip accents (NFD then drop Mn), lowercase.</summary>
internal sealed class BertNormalizer(bool cleanText, bool handleChineseChars, bool? stripAccents, bool lowercase) : Normalizer
{
    public bool CleanText { get; } = cleanText;

    public bool HandleChineseChars { get; } = handleChineseChars;

    /// <summary>Gets whether accents are stripped; unset means "when lowercasing".</summary>
    public bool StripAccents { get; } = NeedsDecomposition(stripAccents ?? lowercase);

    public bool Lowercase { get; } = lowercase;

    public override Piece Normalize(Workspace ws, Piece piece)
    {
        if (CleanText)
        {
            piece = StripAccentsNormalizer.Filter(ws, piece, static cp => !(cp == 0 || cp == 0xFFFD || IsControl(cp)));
            Span<char> text = ws.Text.AsSpan(piece.Start, piece.Length);
            for (int i = 0; i < text.Length; i++)
            {
                // Every whitespace character is in the BMP, so mapping to ' ' keeps lengths and alignments.
                if (text[i] != ' ' && (text[i] is '\t' or '\n' or '\r' || UnicodeChars.IsWhitespace(text[i])))
                {
                    text[i] = ' ';
                }
            }
        }

        if (HandleChineseChars && HasChineseChar(ws.Span(piece)))
        {
            TransformWriter w = ws.BeginTransform(piece);
            for (int i = 0; i < piece.Length;)
            {
                int cp = UnicodeChars.CodePointAt(ws.Span(piece), i, out int n);
                if (UnicodeChars.IsChineseChar(cp))
                {
                    w.Emit(' ', 1);
                    w.Emit(cp, 0);
                    w.Emit(' ', 1);
                }
                else
                {
                    w.Emit(cp, 0);
                }

                i += n;
            }

            piece = w.Finish();
        }

        if (StripAccents)
        {
            piece = UnicodeFormNormalizer.Apply(ws, piece, NormalizationForm.FormD);
            piece = StripAccentsNormalizer.Filter(ws, piece, static cp => !UnicodeChars.IsNonSpacingMark(cp));
        }

        if (Lowercase)
        {
            piece = LowercaseNormalizer.Lowercase(ws, piece);
        }

        return piece;
    }

    private static bool IsControl(int cp) => cp is not ('\t' or '\n' or '\r') && UnicodeChars.IsOther(cp);

    private static bool HasChineseChar(ReadOnlySpan<char> text)
    {
        for (int i = 0; i < text.Length;)
        {
            int cp = UnicodeChars.CodePointAt(text, i, out int n);
            if (UnicodeChars.IsChineseChar(cp))
            {
                return true;
            }

            i += n;
        }

        return false;
    }

    private static bool NeedsDecomposition(bool stripAccents)
    {
        if (stripAccents)
        {
            UnicodeNormalizationSupport.EnsureAvailable("Unicode normalization (NFD, to strip accents)");
        }

        return stripAccents;
    }
}
