namespace Embeddings.Tokenization;

/// <summary>Splits on a pattern with a delimiter behavior: <c>Split</c>, <c>WhitespaceSplit</c>, <c>Whitespace</c>,
/// <c>Punctuation</c>, <c>Digits</c> and <c>CharDelimiterSplit</c> are all this with different patterns.</summary>
internal sealed class PatternPreTokenizer(SplitPattern pattern, SplitBehavior behavior, bool invert) : PreTokenizer
{
    public SplitPattern Pattern { get; } = pattern;

    public SplitBehavior Behavior { get; } = behavior;

    public bool Invert { get; } = invert;

    protected override void Split(Workspace ws, Piece piece) => SplitOn(ws, piece, Pattern, Behavior, Invert);
}
