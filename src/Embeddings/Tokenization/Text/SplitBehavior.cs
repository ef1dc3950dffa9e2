namespace Embeddings.Tokenization;

/// <summary>What a split does with the delimiter it found (Hugging Face's <c>SplitDelimiterBehavior</c>).</summary>
internal enum SplitBehavior
{
    /// <summary>The delimiter is dropped.</summary>
    Removed,

    /// <summary>The delimiter becomes a piece of its own.</summary>
    Isolated,

    /// <summary>The delimiter is appended to the piece before it.</summary>
    MergedWithPrevious,

    /// <summary>The delimiter is prepended to the piece after it.</summary>
    MergedWithNext,

    /// <summary>Consecutive delimiters form one piece.</summary>
    Contiguous,
}
