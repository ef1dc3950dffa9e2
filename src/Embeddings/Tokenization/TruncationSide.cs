namespace Embeddings.Tokenization;

/// <summary>Which side of a sequence tokens are removed from when it is too long.</summary>
public enum TruncationSide
{
    /// <summary>Keep the first tokens.</summary>
    Right,

    /// <summary>Keep the last tokens.</summary>
    Left,
}
