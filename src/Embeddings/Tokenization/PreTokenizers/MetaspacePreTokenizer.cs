namespace Embeddings.Tokenization;

/// <summary>SentencePiece-style: spaces become the replacement character (▁), which is prepended per the scheme,
/// and the text is split before each replacement character.</summary>
internal sealed class MetaspacePreTokenizer : PreTokenizer
{
    private readonly SingleCharPattern _space = new(' ');
    private readonly SingleCharPattern _replacementPattern;
    private readonly string _replacementString;

    public MetaspacePreTokenizer(int replacement, MetaspacePrependScheme scheme, bool split)
    {
        Replacement = replacement;
        Scheme = scheme;
        SplitOnReplacement = split;
        _replacementPattern = new SingleCharPattern(replacement);
        _replacementString = char.ConvertFromUtf32(replacement);
    }

    public int Replacement { get; }

    public MetaspacePrependScheme Scheme { get; }

    public bool SplitOnReplacement { get; }

    protected override void Split(Workspace ws, Piece piece)
    {
        piece = ReplaceNormalizer.Replace(ws, piece, _space, _replacementString);
        bool prepend = Scheme switch
        {
            MetaspacePrependScheme.Always => true,
            MetaspacePrependScheme.First => piece.OriginalStart == 0,
            _ => false,
        };
        if (prepend && !ws.Span(piece).StartsWith(_replacementString.AsSpan(), StringComparison.Ordinal))
        {
            piece = ws.Prepend(piece, _replacementString);
        }

        if (SplitOnReplacement)
        {
            SplitOn(ws, piece, _replacementPattern, SplitBehavior.MergedWithNext);
        }
        else
        {
            ws.Emit(piece);
        }
    }
}
