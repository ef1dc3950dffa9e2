namespace Embeddings.Imaging;

/// <summary>
/// Decodes an encoded image into upright 8-bit RGB pixels. Implement it to plug in another decoder; the default is
/// <see cref="LibvipsImageDecoder"/>. Alternatively, pass already decoded pixels with
/// <see cref="EmbeddingInput.FromPixels(RgbImage, string?)"/> and no decoder runs at all.
/// </summary>
/// <remarks>
/// Implementations must be safe for concurrent use. To match the Python reference they should apply the EXIF
/// orientation and convert to RGB as Pillow's <c>convert("RGB")</c> does (alpha dropped).
/// </remarks>
public interface IImageDecoder
{
    /// <summary>Decodes an image.</summary>
    /// <param name="encoded">The encoded image (never empty; the caller has checked the size limit).</param>
    /// <param name="inputDescription">A description of the input for error messages, for example
    /// <c>image file 'cat.jpg'</c>; never the content.</param>
    /// <returns>The decoded, upright image.</returns>
    /// <exception cref="EmbeddingInputException">The image is unsupported, corrupt or too large.</exception>
    RgbImage Decode(ReadOnlyMemory<byte> encoded, string inputDescription);
}
