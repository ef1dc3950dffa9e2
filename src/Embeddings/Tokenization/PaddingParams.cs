namespace Embeddings.Tokenization;

/// <summary>Resolved padding settings for one call: a fixed length, or the batch's longest (null).</summary>
internal readonly record struct PaddingParams(int? FixedLength, int? PadToMultipleOf, int PadId, int PadTypeId, PaddingSide Side)
{
    /// <summary>Gets the length to pad to given the longest length, rounded up to the multiple.</summary>
    public int TargetLength(int longest)
    {
        int length = FixedLength ?? longest;
        if (PadToMultipleOf is > 0 and int multiple && length % multiple != 0)
        {
            length += multiple - (length % multiple);
        }

        return length;
    }
}
