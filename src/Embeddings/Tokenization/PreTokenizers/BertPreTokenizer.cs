namespace Embeddings.Tokenization;

/// <summary>BERT's pre-tokenizer: split on whitespace (removed), then isolate each punctuation character.</summary>
internal sealed class BertPreTokenizer : PreTokenizer
{
    public static readonly BertPreTokenizer Instance = new();

    private static readonly PatternPreTokenizer s_whitespace = new(WhitespaceCharPattern.Instance, SplitBehavior.Removed, false);
    private static readonly PatternPreTokenizer s_punctuation = new(BertPunctuationPattern.Instance, SplitBehavior.Isolated, false);

    public override void PreTokenize(Workspace ws)
    {
        s_whitespace.PreTokenize(ws);
        s_punctuation.PreTokenize(ws);
    }

    protected override void Split(Workspace ws, Piece piece) => throw new InvalidOperationException();
}
