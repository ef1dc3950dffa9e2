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
    /// text and moves its offsets inwards by that many characters. The Rust library does this on offsets already
    /// converted to Unicode scalar values, so it is done on those here too.</summary>
    public static void TrimOffsets(TokenEncoding e, bool addPrefixSpace, Func<int, string?> tokenText)
    {
        string? text = e.Text;
        if (text is null)
        {
            return;
        }

        int[]? toScalar = null, toUtf16 = null;
        for (int i = 0; i < e.Length; i++)
        {
            string? token = e.Values is not null && e.Values.TryGetValue(i, out string? value) ? value : tokenText(e.Ids[i]);
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

            if (toScalar is null)
            {
                (toScalar, toUtf16) = ScalarMaps(text);
            }

            int start = toScalar[e.Starts[i]], end = toScalar[e.Ends[i]];
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

            e.Starts[i] = toUtf16![start];
            e.Ends[i] = toUtf16[end];
        }
    }

    // UTF-16 index → scalar index, and scalar index → UTF-16 index.
    private static (int[] ToScalar, int[] ToUtf16) ScalarMaps(string text)
    {
        int[] toScalar = new int[text.Length + 1];
        var toUtf16 = new List<int>(text.Length + 1);
        int scalar = 0;
        for (int i = 0; i < text.Length;)
        {
            UnicodeChars.CodePointAt(text, i, out int n);
            toScalar[i] = scalar;
            if (n == 2)
            {
                toScalar[i + 1] = scalar;
            }

            toUtf16.Add(i);
            scalar++;
            i += n;
        }

        toScalar[text.Length] = scalar;
        toUtf16.Add(text.Length);
        return (toScalar, [.. toUtf16]);
    }

    private static bool IsSpace(int cp) => cp == ByteLevelAlphabet.ByteToChar[' '] || UnicodeChars.IsWhitespace(cp);
}
