namespace Embeddings;

/// <summary>Why an input could not be embedded.</summary>
public enum EmbeddingInputError
{
    /// <summary>The input is invalid for another reason given in the message.</summary>
    Invalid,

    /// <summary>The input has no content (an empty image, for example).</summary>
    Empty,

    /// <summary>The input exceeds a configured limit (encoded bytes, decoded pixels, text length).</summary>
    TooLarge,

    /// <summary>The input could not be read (a missing file, a failing stream).</summary>
    Unreadable,

    /// <summary>The image format is not recognised or not supported.</summary>
    UnsupportedFormat,

    /// <summary>The data is damaged: a truncated or malformed image.</summary>
    Corrupt,

    /// <summary>The provider does not embed this modality (an image sent to a text-only model).</summary>
    UnsupportedModality,
}
