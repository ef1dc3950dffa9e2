namespace Embeddings.Tokenization;

/// <summary>BERT's post-processor: <c>[CLS] A [SEP]</c> and <c>[CLS] A [SEP] B [SEP]</c>, the second part with type id 1.</summary>
internal sealed class BertProcessing(int sepId, int clsId) : PostProcessor
{
    public override int AddedTokens(bool isPair) => isPair ? 3 : 2;

    public override List<TokenEncoding> Process(List<TokenEncoding> encodings, bool addSpecialTokens)
    {
        if (!addSpecialTokens)
        {
            return encodings;
        }

        var result = new List<TokenEncoding> { TokenEncoding.Special([clsId], 0), encodings[0], TokenEncoding.Special([sepId], 0) };
        if (encodings.Count == 2)
        {
            result.Add(encodings[1]);
            result.Add(TokenEncoding.Special([sepId], 1));
        }

        return [TokenEncoding.Merge(result)];
    }
}
