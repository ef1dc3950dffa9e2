namespace Embeddings;

/// <summary>How an <see cref="EmbeddingInput"/> carries its content.</summary>
public enum EmbeddingInputKind
{
    /// <summary>A text string.</summary>
    Text,

    /// <summary>An encoded image (JPEG, PNG, WebP, ...) held in memory.</summary>
    ImageBytes,

    /// <summary>An encoded image read from a caller-owned stream.</summary>
    ImageStream,

    /// <summary>An encoded image read from a file.</summary>
    ImageFile,

    /// <summary>Already decoded 8-bit RGB pixels.</summary>
    ImagePixels,
}
