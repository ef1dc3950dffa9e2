namespace Embeddings.Tokenization;

/// <summary>A tokenizer.json decoder: turns token strings back into text (Hugging Face's <c>decode_chain</c>, then join).</summary>
internal abstract class TokenDecoder
{
    public abstract List<string> DecodeChain(List<string> tokens);

    public string Decode(List<string> tokens) => string.Concat(DecodeChain(tokens));
}
