namespace Embeddings.Tokenization;

/// <summary>WordLevel: each piece is one vocabulary entry, or the unknown token.</summary>
internal sealed class WordLevelModel(Vocabulary vocab, string unkToken) : TokenizerModel
{
    private readonly int _unkId = vocab.IdOrMinusOne(unkToken);

    public string UnkToken { get; } = unkToken;

    public override int VocabularySize => vocab.Count;

    public override int TokenToId(ReadOnlySpan<char> token) => vocab.IdOrMinusOne(token);

    public override string? IdToToken(int id) => vocab.TokenOf(id);

    public override void Tokenize(Workspace ws, in Piece piece)
    {
        ReadOnlySpan<char> word = ws.Span(piece);
        int id = vocab.IdOrMinusOne(word);
        if (id < 0)
        {
            id = _unkId >= 0 ? _unkId : throw new InvalidOperationException($"The unknown token '{UnkToken}' is not in the WordLevel vocabulary.");
        }

        ws.Tokens.AddRelative(ws, piece, id, 0, word.Length);
    }
}
