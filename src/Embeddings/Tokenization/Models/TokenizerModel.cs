namespace Embeddings.Tokenization;

/// <summary>A tokenizer.json model: turns one pre-tokenized piece into tokens.</summary>
internal abstract class TokenizerModel
{
    /// <summary>Gets the number of tokens in the model's vocabulary.</summary>
    public abstract int VocabularySize { get; }

    /// <summary>Tokenizes a piece, adding tokens with offsets relative to the piece to <see cref="Workspace.Tokens"/>.</summary>
    public abstract void Tokenize(Workspace ws, in Piece piece);

    /// <summary>Gets the id of a token, or -1.</summary>
    public abstract int TokenToId(ReadOnlySpan<char> token);

    /// <summary>Gets the token of an id, or null.</summary>
    public abstract string? IdToToken(int id);
}
