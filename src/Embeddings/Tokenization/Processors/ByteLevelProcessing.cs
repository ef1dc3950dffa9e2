namespace Embeddings.Tokenization;

/// <summary>The ByteLevel post-processor: no special tokens; optionally trims leading and trailing spaces
/// (<c>Ġ</c> or whitespace characters of the token) from the offsets.</summary>
internal sealed class ByteLevelProcessing(bool trimOffsets, bool addPrefixSpace) : PostProcessor
{
    public Func<int, string?>? TokenText { get; set; }

    public override int AddedTokens(bool isPair) => 0;

    public override List<TokenEncoding> Process(List<TokenEncoding> encodings, bool addSpecialTokens)
    {
        if (trimOffsets && TokenText is not null)
        {
            foreach (TokenEncoding e in encodings)
            {
                TrimOffsets(e, addPrefixSpace, TokenText);
            }
        }

        return encodings;
    }

    /// <summary>Hugging Face's <c>process_offsets</c>: counts leading/trailing space characters of each token's
    /// text and moves its offsets inwards by that much.</summary>
    public static void TrimOffsets(TokenEncoding e, bool addPrefixSpace, Func<int, string?> tokenText)
    {
        for (int i = 0; i < e.Length; i++)
        {
            string? token = tokenText(e.Ids[i]);
            if (string.IsNullOrEmpty(token))
            {
                continue;
            }

            int leading = 0;
            foreach (System.Text.Rune r in token.EnumerateRunes())
            {
                if (!IsSpace(r.Value))
                {
                    break;
                }

                leading++;
            }

            int trailing = 0;
            for (int k = token.Length; k > 0;)
            {
                int cp = UnicodeChars.CodePointBefore(token, k, out int n);
                if (!IsSpace(cp))
                {
                    break;
                }

                trailing++;
                k -= n;
            }

            if (leading == 0 && trailing == 0)
            {
                continue;
            }

            int start = e.Starts[i], end = e.Ends[i];
            if (leading > 0)
            {
                bool isFirst = i == 0 || start == 0;
                if (isFirst && addPrefixSpace && leading == 1)
                {
                    leading = 0;
                }

                start = Math.Min(start + leading, end);
            }

            if (trailing > 0 && end >= trailing)
            {
                end = Math.Max(end - trailing, start);
            }

            e.Starts[i] = start;
            e.Ends[i] = end;
        }
    }

    private static bool IsSpace(int cp) => cp == ByteLevelAlphabet.ByteToChar[' '] || UnicodeChars.IsWhitespace(cp);
}
