namespace Embeddings.Tokenization;

/// <summary>
/// A batch of encoded texts as row-major <c>[Count, SequenceLength]</c> int64 buffers, ready to be ONNX inputs
/// (<c>input_ids</c>, <c>attention_mask</c>, <c>token_type_ids</c>). Rows of unequal length are padded to the longest
/// with the pad token (or id 0 when the tokenizer has none) and attention 0.
/// </summary>
public sealed class TokenizedBatch
{
    internal TokenizedBatch(IReadOnlyList<TokenizedText> items, long[] inputIds, long[] attentionMask, long[] typeIds, int sequenceLength)
    {
        Items = items;
        InputIds = inputIds;
        AttentionMask = attentionMask;
        TokenTypeIds = typeIds;
        SequenceLength = sequenceLength;
    }

    /// <summary>Gets the number of rows.</summary>
    public int Count => Items.Count;

    /// <summary>Gets the number of tokens per row.</summary>
    public int SequenceLength { get; }

    /// <summary>Gets the token ids, row by row.</summary>
    public ReadOnlyMemory<long> InputIds { get; }

    /// <summary>Gets the attention mask (1 token, 0 padding), row by row.</summary>
    public ReadOnlyMemory<long> AttentionMask { get; }

    /// <summary>Gets the token type ids, row by row.</summary>
    public ReadOnlyMemory<long> TokenTypeIds { get; }

    /// <summary>Gets each row's encoding, as padded in the buffers.</summary>
    public IReadOnlyList<TokenizedText> Items { get; }
}
