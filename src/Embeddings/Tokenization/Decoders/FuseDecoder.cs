namespace Embeddings.Tokenization;

/// <summary>Joins all tokens into one.</summary>
internal sealed class FuseDecoder : TokenDecoder
{
    public static readonly FuseDecoder Instance = new();

    public override List<string> DecodeChain(List<string> tokens) => [string.Concat(tokens)];
}
