namespace Embeddings.Tokenization;

/// <summary>Runs decoders one after the other.</summary>
internal sealed class SequenceDecoder(IReadOnlyList<TokenDecoder> decoders) : TokenDecoder
{
    public override List<string> DecodeChain(List<string> tokens)
    {
        foreach (TokenDecoder d in decoders)
        {
            tokens = d.DecodeChain(tokens);
        }

        return tokens;
    }
}
