namespace Embeddings.Tokenization;

/// <summary>An Oniguruma regular expression.</summary>
internal sealed class RegexPattern(OnigRegex regex) : SplitPattern
{
    public OnigRegex Regex { get; } = regex;

    public override void FindMatches(ReadOnlySpan<char> text, MatchList matches) => Regex.FindMatches(text, matches);
}
