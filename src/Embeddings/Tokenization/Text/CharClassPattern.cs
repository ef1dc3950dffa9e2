namespace Embeddings.Tokenization;

/// <summary>Every scalar value satisfying a predicate is a match of its own (Hugging Face's function patterns).</summary>
internal abstract class CharClassPattern : SplitPattern
{
    public override void FindMatches(ReadOnlySpan<char> text, MatchList matches)
    {
        if (matches.Begin(text))
        {
            return;
        }

        int previous = 0;
        for (int i = 0; i < text.Length;)
        {
            int cp = UnicodeChars.CodePointAt(text, i, out int n);
            if (IsMatch(cp))
            {
                matches.AddMatch(ref previous, i, i + n);
            }

            i += n;
        }

        matches.Finish(previous, text.Length);
    }

    protected abstract bool IsMatch(int cp);
}
