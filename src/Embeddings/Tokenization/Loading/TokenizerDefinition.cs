namespace Embeddings.Tokenization;

/// <summary>Everything read from a tokenizer.json.</summary>
internal sealed class TokenizerDefinition
{
    public required TokenizerModel Model { get; init; }

    public Normalizer? Normalizer { get; init; }

    public PreTokenizer? PreTokenizer { get; init; }

    public PostProcessor? PostProcessor { get; init; }

    public TokenDecoder? Decoder { get; init; }

    /// <summary>Gets the decoder type when it is one this library cannot run (decoding then fails, encoding works).</summary>
    public string? UnsupportedDecoder { get; init; }

    public required IReadOnlyList<AddedToken> AddedTokens { get; init; }

    /// <summary>Gets the padding stored in the file (used by transformers only for defaults such as the pad token).</summary>
    public StoredPadding? Padding { get; init; }

    /// <summary>Gets the truncation direction stored in the file, if any.</summary>
    public TruncationSide? TruncationDirection { get; init; }
}
