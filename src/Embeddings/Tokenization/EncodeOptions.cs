namespace Embeddings.Tokenization;

/// <summary>
/// How to encode text, with the meaning of Python transformers' tokenizer call arguments (<c>add_special_tokens</c>,
/// <c>padding</c>, <c>truncation</c>, <c>max_length</c>, <c>pad_to_multiple_of</c>). Padding and truncation stored in
/// tokenizer.json never apply on their own, as with transformers; they apply only when requested here.
/// </summary>
public sealed class EncodeOptions
{
    /// <summary>Gets the defaults: special tokens added, no padding, no truncation.</summary>
    public static EncodeOptions Default { get; } = new();

    /// <summary>Gets whether the post-processor's special tokens (BOS/EOS, [CLS]/[SEP], ...) are added. Default true.</summary>
    public bool AddSpecialTokens { get; init; } = true;

    /// <summary>Gets the padding. Default <see cref="PaddingMode.None"/>.</summary>
    public PaddingMode Padding { get; init; } = PaddingMode.None;

    /// <summary>
    /// Gets whether sequences longer than the maximum length are truncated. <see langword="null"/> (the default)
    /// means transformers' "unset": truncation happens only when <see cref="MaxLength"/> is given without padding.
    /// Truncation keeps room for the special tokens.
    /// </summary>
    public bool? Truncation { get; init; }

    /// <summary>Gets the maximum length in tokens, special tokens included. <see langword="null"/> uses the tokenizer's
    /// <see cref="Tokenizer.ModelMaxLength"/> where padding to max length or truncation needs one.</summary>
    public int? MaxLength { get; init; }

    /// <summary>Gets a multiple the padded length is rounded up to (for example 8), or <see langword="null"/>.</summary>
    public int? PadToMultipleOf { get; init; }

    /// <summary>Gets how a pair of sequences is truncated. Default <see cref="TruncationStrategy.LongestFirst"/>.</summary>
    public TruncationStrategy TruncationStrategy { get; init; } = TruncationStrategy.LongestFirst;
}
