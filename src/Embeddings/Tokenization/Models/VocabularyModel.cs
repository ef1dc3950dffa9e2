namespace Embeddings.Tokenization;

/// <summary>A model whose vocabulary is a token → id map (BPE, WordPiece, WordLevel).</summary>
internal abstract class VocabularyModel(Vocabulary vocabulary) : TokenizerModel
{
    protected Vocabulary Vocab { get; } = vocabulary;

    public override int VocabularySize => Vocab.Count;

    public override int TokenToId(ReadOnlySpan<char> token) => Vocab.IdOrMinusOne(token);

    public override string? IdToToken(int id) => Vocab.TokenOf(id);
}
