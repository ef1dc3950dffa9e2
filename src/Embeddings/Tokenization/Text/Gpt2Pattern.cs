namespace Embeddings.Tokenization;

/// <summary>
/// GPT-2's pre-tokenization regex, <c>'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+</c>,
/// written out by hand on scalar values (ByteLevel's split, the hottest pattern there is).
/// </summary>
internal sealed class Gpt2Pattern : SplitPattern
{
    public static readonly Gpt2Pattern Instance = new();

    public override void FindMatches(ReadOnlySpan<char> text, MatchList matches)
    {
        if (matches.Begin(text))
        {
            return;
        }

        // Every character is covered by one alternative, so the matches tile the text.
        int i = 0;
        while (i < text.Length)
        {
            int end = MatchAt(text, i);
            matches.Add(i, end, true);
            i = end;
        }
    }

    private static int MatchAt(ReadOnlySpan<char> text, int i)
    {
        char c = text[i];
        if (c == '\'' && i + 1 < text.Length)
        {
            char a = text[i + 1];
            if (a is 's' or 't' or 'm' or 'd')
            {
                return i + 2;
            }

            if (i + 2 < text.Length)
            {
                char b = text[i + 2];
                if ((a == 'r' && b == 'e') || (a == 'v' && b == 'e') || (a == 'l' && b == 'l'))
                {
                    return i + 3;
                }
            }
        }

        int start = i;
        if (c == ' ' && i + 1 < text.Length)
        {
            int next = UnicodeChars.CodePointAt(text, i + 1, out _);
            if (!UnicodeChars.IsWhitespace(next))
            {
                // " ?X+" where X is the class of the character after the space.
                start = i + 1;
            }
        }

        int cp = UnicodeChars.CodePointAt(text, start, out int n);
        if (UnicodeChars.IsLetter(cp))
        {
            return RunOf(text, start + n, static c => UnicodeChars.IsLetter(c));
        }

        if (UnicodeChars.IsNumber(cp))
        {
            return RunOf(text, start + n, static c => UnicodeChars.IsNumber(c));
        }

        if (!UnicodeChars.IsWhitespace(cp))
        {
            return RunOf(text, start + n, static c => !UnicodeChars.IsWhitespace(c) && !UnicodeChars.IsLetter(c) && !UnicodeChars.IsNumber(c));
        }

        // \s+(?!\S) then \s+: a whitespace run followed by a non-space gives its last character to that next match.
        int end = RunOf(text, i + n, static c => UnicodeChars.IsWhitespace(c));
        if (end < text.Length)
        {
            int last = UnicodeChars.CodePointBefore(text, end, out int lastLength);
            _ = last;
            if (end - lastLength > i)
            {
                return end - lastLength;
            }
        }

        return end;
    }

    private static int RunOf(ReadOnlySpan<char> text, int i, Func<int, bool> inClass)
    {
        while (i < text.Length)
        {
            int cp = UnicodeChars.CodePointAt(text, i, out int n);
            if (!inClass(cp))
            {
                break;
            }

            i += n;
        }

        return i;
    }
}
