namespace Embeddings.Tokenization;

/// <summary>A literal string, matched left to right without overlap.</summary>
internal sealed class LiteralPattern(string literal) : SplitPattern
{
    public string Literal { get; } = literal;

    public override void FindMatches(ReadOnlySpan<char> text, MatchList matches)
    {
        matches.Clear();
        if (text.IsEmpty || Literal.Length == 0)
        {
            matches.Add(0, text.Length, false);
            return;
        }

        int previous = 0;
        int at = 0;
        while (at <= text.Length - Literal.Length)
        {
            int found = text[at..].IndexOf(Literal.AsSpan(), StringComparison.Ordinal);
            if (found < 0)
            {
                break;
            }

            int start = at + found;
            matches.AddMatch(ref previous, start, start + Literal.Length);
            at = start + Literal.Length;
        }

        matches.Finish(previous, text.Length);
    }
}
