namespace Embeddings.Tokenization;

/// <summary>Whether and how encodings are padded (transformers' <c>padding</c> argument).</summary>
public enum PaddingMode
{
    /// <summary>No padding (single encodings keep their length; a batch is padded to its longest row only when it
    /// is returned as a rectangular buffer).</summary>
    None,

    /// <summary>Pad to the longest sequence of the batch (<c>padding=True</c> / <c>"longest"</c>).</summary>
    Longest,

    /// <summary>Pad to the maximum length (<c>padding="max_length"</c>): the requested maximum, else the model's.</summary>
    MaxLength,
}
