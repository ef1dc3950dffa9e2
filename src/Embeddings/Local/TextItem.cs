namespace Embeddings.Local;

/// <summary>One tokenized text of a call, waiting for its model run.</summary>
/// <param name="Index">Its position in the call's inputs.</param>
/// <param name="Ids">Its token ids, special tokens included, unpadded.</param>
/// <param name="TypeIds">Its token type ids.</param>
/// <param name="PromptTokens">How many leading tokens belong to the prompt and are left out of pooling (0 unless the
/// model's Pooling module has <c>include_prompt</c> false).</param>
internal readonly record struct TextItem(int Index, ReadOnlyMemory<int> Ids, ReadOnlyMemory<int> TypeIds, int PromptTokens)
{
    public int Length => Ids.Length;
}
