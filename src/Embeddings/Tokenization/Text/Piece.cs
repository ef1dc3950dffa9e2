namespace Embeddings.Tokenization;

/// <summary>
/// One split of the text being encoded (Hugging Face's <c>NormalizedString</c> inside a <c>PreTokenizedString</c>):
/// a range of the workspace's normalized text whose characters carry their alignment to the original input.
/// </summary>
internal struct Piece
{
    /// <summary>The first character in <see cref="Workspace.Text"/>.</summary>
    public int Start;

    /// <summary>The number of UTF-16 code units.</summary>
    public int Length;

    /// <summary>Where this piece starts in the original input (UTF-16 code units).</summary>
    public int OriginalStart;

    /// <summary>Where this piece ends in the original input.</summary>
    public int OriginalEnd;

    /// <summary>The id of the added token this piece already is, or -1 while it still has to be tokenized.</summary>
    public int TokenId;

    public readonly int End => Start + Length;

    public readonly bool IsTokenized => TokenId >= 0;
}
