namespace Embeddings.Tokenization;

/// <summary>Prepends a string to non-empty text.</summary>
internal sealed class PrependNormalizer(string prefix) : Normalizer
{
    public string Prefix { get; } = prefix;

    public override Piece Normalize(Workspace ws, Piece piece) => piece.Length == 0 ? piece : ws.Prepend(piece, Prefix);
}
