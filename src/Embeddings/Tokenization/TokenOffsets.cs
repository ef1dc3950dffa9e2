namespace Embeddings.Tokenization;

/// <summary>Where a token comes from in the input text, in UTF-16 code units (string indices). Special and padding
/// tokens have (0, 0).</summary>
/// <param name="Start">The index of the first character.</param>
/// <param name="End">The index after the last character.</param>
public readonly record struct TokenOffsets(int Start, int End)
{
    /// <summary>Gets the number of UTF-16 code units covered.</summary>
    public int Length => End - Start;
}
