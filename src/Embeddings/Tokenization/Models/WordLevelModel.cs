namespace Embeddings.Tokenization;

/// <summary>WordLevel: each piece is one vocabulary entry, or the unknown token.</summary>
internal sealed class WordLevelModel(Vocabulary vocab, string unkToken) : VocabularyModel(vocab)
{
    private readonly int _unkId = vocab.IdOrMinusOne(unkToken);

    public string UnkToken { get; } = unkToken;

    public override void Tokenize(Workspace ws, in Piece piece)
    {
        ReadOnlySpan<char> word = ws.Span(piece);
        int id = Vocab.IdOrMinusOne(word);
        if (id < 0)
        {
            id = _unkId >= 0 ? _unkId : throw new InvalidOperationException($"The unknown token '{UnkToken}' is not in the WordLevel vocabulary.");
        }

        ws.Tokens.AddRelative(ws, piece, id, 0, word.Length);
    }
}
