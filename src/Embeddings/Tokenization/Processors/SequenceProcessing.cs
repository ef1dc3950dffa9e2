namespace Embeddings.Tokenization;

/// <summary>Runs post-processors one after the other.</summary>
internal sealed class SequenceProcessing(IReadOnlyList<PostProcessor> processors) : PostProcessor
{
    public IReadOnlyList<PostProcessor> Processors { get; } = processors;

    public override int AddedTokens(bool isPair) => Processors.Sum(p => p.AddedTokens(isPair));

    public override List<TokenEncoding> Process(List<TokenEncoding> encodings, bool addSpecialTokens)
    {
        foreach (PostProcessor p in Processors)
        {
            encodings = p.Process(encodings, addSpecialTokens);
        }

        return encodings;
    }
}
