namespace Embeddings.Imaging;

/// <summary>The encoded formats the decoder distinguishes.</summary>
internal enum ImageFormatKind
{
    /// <summary>A format the decoder refuses (PDF, SVG, ImageMagick formats, matrices, ...).</summary>
    Other,

    /// <summary>JPEG.</summary>
    Jpeg,

    /// <summary>PNG.</summary>
    Png,

    /// <summary>WebP.</summary>
    WebP,

    /// <summary>GIF.</summary>
    Gif,

    /// <summary>TIFF.</summary>
    Tiff,

    /// <summary>HEIF / AVIF.</summary>
    Heif,

    /// <summary>JPEG 2000.</summary>
    Jpeg2000,

    /// <summary>JPEG XL.</summary>
    JpegXl,
}
