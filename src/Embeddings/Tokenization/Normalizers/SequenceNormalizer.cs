namespace Embeddings.Tokenization;

/// <summary>Applies normalizers one after the other.</summary>
internal sealed class SequenceNormalizer(IReadOnlyList<Normalizer> normalizers) : Normalizer
{
    public IReadOnlyList<Normalizer> Normalizers { get; } = normalizers;

    public override Piece Normalize(Workspace ws, Piece piece)
    {
        foreach (Normalizer n in Normalizers)
        {
            piece = n.Normalize(ws, piece);
        }

        return piece;
    }
}
