namespace Embeddings.Tokenization;

/// <summary>How a pair of sequences is shortened to fit the maximum length.</summary>
public enum TruncationStrategy
{
    /// <summary>Shorten the longer sequence first (the default, as in transformers).</summary>
    LongestFirst,

    /// <summary>Shorten only the first sequence.</summary>
    OnlyFirst,

    /// <summary>Shorten only the second sequence.</summary>
    OnlySecond,
}
