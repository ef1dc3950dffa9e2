namespace Embeddings.Tokenization;

/// <summary>Maps each UTF-8 byte of the text to GPT-2's printable byte alphabet.</summary>
internal sealed class ByteLevelNormalizer : Normalizer
{
    public static readonly ByteLevelNormalizer Instance = new();

    public override Piece Normalize(Workspace ws, Piece piece) => ByteLevelAlphabet.Map(ws, piece);
}
