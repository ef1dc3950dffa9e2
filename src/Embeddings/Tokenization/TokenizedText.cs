namespace Embeddings.Tokenization;

/// <summary>The tokens of one text (or text pair): ids with their attention mask, type ids, special-token mask and
/// offsets, all of the same length.</summary>
public sealed class TokenizedText
{
    private readonly TokenEncoding _encoding;
    private readonly Tokenizer _tokenizer;
    private TokenOffsets[]? _offsets;
    private string[]? _tokens;

    internal TokenizedText(TokenEncoding encoding, Tokenizer tokenizer)
    {
        _encoding = encoding;
        _tokenizer = tokenizer;
    }

    /// <summary>Gets the number of tokens, padding included.</summary>
    public int Length => _encoding.Length;

    /// <summary>Gets the token ids.</summary>
    public ReadOnlyMemory<int> Ids => _encoding.Ids;

    /// <summary>Gets the attention mask: 1 for tokens, 0 for padding.</summary>
    public ReadOnlyMemory<int> AttentionMask => _encoding.AttentionMask;

    /// <summary>Gets the token type (segment) ids: 0 for the first sequence, 1 for the second as the template sets them.</summary>
    public ReadOnlyMemory<int> TypeIds => _encoding.TypeIds;

    /// <summary>Gets 1 for special tokens added by the post-processor and for padding, 0 for tokens of the text.</summary>
    public ReadOnlyMemory<int> SpecialTokensMask => _encoding.SpecialMask;

    /// <summary>Gets each token's range in the input text, in UTF-16 code units (for a pair, in its own text).</summary>
    public ReadOnlyMemory<TokenOffsets> Offsets => _offsets ??= BuildOffsets();

    /// <summary>Gets each token's string in the vocabulary (for debugging; byte-level tokens are shown in their
    /// byte alphabet, as Hugging Face shows them).</summary>
    public IReadOnlyList<string> Tokens => _tokens ??= [.. _encoding.Ids.Select(id => _tokenizer.IdToToken(id) ?? string.Empty)];

    internal TokenEncoding Encoding => _encoding;

    private TokenOffsets[] BuildOffsets()
    {
        var offsets = new TokenOffsets[_encoding.Length];
        for (int i = 0; i < offsets.Length; i++)
        {
            offsets[i] = new TokenOffsets(_encoding.Starts[i], _encoding.Ends[i]);
        }

        return offsets;
    }
}
