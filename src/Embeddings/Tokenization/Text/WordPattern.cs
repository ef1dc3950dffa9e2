namespace Embeddings.Tokenization;

/// <summary>The Whitespace pre-tokenizer's regex <c>\w+|[^\w\s]+</c> on scalar values, with Oniguruma's <c>\w</c>.</summary>
internal sealed class WordPattern : SplitPattern
{
    public static readonly WordPattern Instance = new();

    public override void FindMatches(ReadOnlySpan<char> text, MatchList matches)
    {
        if (matches.Begin(text))
        {
            return;
        }

        int previous = 0;
        int i = 0;
        while (i < text.Length)
        {
            int cp = UnicodeChars.CodePointAt(text, i, out int n);
            if (UnicodeChars.IsWhitespace(cp))
            {
                i += n;
                continue;
            }

            bool word = UnicodeChars.IsWord(cp);
            int end = i + n;
            while (end < text.Length)
            {
                int next = UnicodeChars.CodePointAt(text, end, out int m);
                if (word ? !UnicodeChars.IsWord(next) : (UnicodeChars.IsWord(next) || UnicodeChars.IsWhitespace(next)))
                {
                    break;
                }

                end += m;
            }

            matches.AddMatch(ref previous, i, end);
            i = end;
        }

        matches.Finish(previous, text.Length);
    }
}
