namespace Embeddings.Tokenization;

/// <summary>RoBERTa's post-processor: <c>&lt;s&gt; A &lt;/s&gt;</c> and <c>&lt;s&gt; A &lt;/s&gt; &lt;/s&gt; B &lt;/s&gt;</c>,
/// all type ids 0, with optional trimming of whitespace from offsets.</summary>
internal sealed class RobertaProcessing(int sepId, int clsId, bool trimOffsets, bool addPrefixSpace) : PostProcessor
{
    public override int AddedTokens(bool isPair) => isPair ? 4 : 2;

    public Func<int, string?>? TokenText { get; set; }

    public override List<TokenEncoding> Process(List<TokenEncoding> encodings, bool addSpecialTokens)
    {
        if (trimOffsets && TokenText is not null)
        {
            foreach (TokenEncoding e in encodings)
            {
                ByteLevelProcessing.TrimOffsets(e, addPrefixSpace, TokenText);
            }
        }

        foreach (TokenEncoding e in encodings)
        {
            e.SetTypeIds(0);
        }

        if (!addSpecialTokens)
        {
            return encodings;
        }

        var result = new List<TokenEncoding> { TokenEncoding.Special([clsId], 0), encodings[0], TokenEncoding.Special([sepId], 0) };
        if (encodings.Count == 2)
        {
            result.Add(TokenEncoding.Special([sepId], 0));
            result.Add(encodings[1]);
            result.Add(TokenEncoding.Special([sepId], 0));
        }

        return [TokenEncoding.Merge(result)];
    }
}
