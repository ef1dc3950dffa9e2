namespace Embeddings.Tokenization;

/// <summary>Runs pre-tokenizers one after the other over the whole list of pieces.</summary>
internal sealed class SequencePreTokenizer(IReadOnlyList<PreTokenizer> preTokenizers) : PreTokenizer
{
    public IReadOnlyList<PreTokenizer> PreTokenizers { get; } = preTokenizers;

    public override void PreTokenize(Workspace ws)
    {
        foreach (PreTokenizer p in PreTokenizers)
        {
            p.PreTokenize(ws);
        }
    }

    protected override void Split(Workspace ws, Piece piece) => throw new InvalidOperationException();
}
