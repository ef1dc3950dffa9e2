namespace Embeddings.Imaging;

/// <summary>
/// Decodes JPEG, PNG, WebP, GIF (first frame), TIFF (first page), HEIF/AVIF, JPEG 2000 and JPEG XL with libvips,
/// producing exactly the pixels Python's <c>transformers.image_utils.load_image</c> gets from Pillow: EXIF orientation
/// applied as <c>ImageOps.exif_transpose</c> does, then <c>convert("RGB")</c> (alpha dropped; CMYK, greyscale,
/// palette and 16-bit images converted by Pillow's rules). Safe for concurrent use.
/// </summary>
/// <remarks>
/// <para>Every failure is an <see cref="EmbeddingInputException"/> naming the input: <see cref="EmbeddingInputError.Empty"/>,
/// <see cref="EmbeddingInputError.TooLarge"/> (checked from the header before pixels are decoded),
/// <see cref="EmbeddingInputError.UnsupportedFormat"/> or <see cref="EmbeddingInputError.Corrupt"/>. Formats libvips
/// could also read but that are not images from a camera or the web (PDF, SVG, ImageMagick formats, matrices) are
/// refused.</para>
/// <para>libvips is loaded on the first decode; a missing library surfaces as a <see cref="NativeLibraryException"/>.</para>
/// </remarks>
public sealed class LibvipsImageDecoder : IImageDecoder
{
    private readonly ImageDecoderOptions _options;

    /// <summary>Creates a decoder.</summary>
    /// <param name="options">Limits and behaviour; <see langword="null"/> for the defaults. The options are copied.</param>
    public LibvipsImageDecoder(ImageDecoderOptions? options = null)
    {
        _options = options?.Clone() ?? new ImageDecoderOptions();
    }

    /// <summary>Gets a copy of the options this decoder uses.</summary>
    public ImageDecoderOptions Options => _options.Clone();

    /// <inheritdoc/>
    public RgbImage Decode(ReadOnlyMemory<byte> encoded, string inputDescription)
    {
        using RentedRgbImage image = DecodeRented(encoded, inputDescription);
        return new RgbImage(image.Width, image.Height, image.Pixels.ToArray());
    }

    /// <summary>Decodes into a pooled buffer.</summary>
    /// <param name="encoded">The encoded image.</param>
    /// <param name="description">The input description for errors.</param>
    /// <returns>The upright RGB image; dispose it to return the buffer.</returns>
    internal RentedRgbImage DecodeRented(ReadOnlyMemory<byte> encoded, string description)
    {
        using VipsDecoding decoding = Open(encoded, description, resizeTarget: null);
        return decoding.ReadAll();
    }

    /// <summary>Opens an image for decoding: format, header, limits and orientation are checked; no pixel is decoded.</summary>
    /// <param name="encoded">The encoded image; it must stay unchanged until the decoding is disposed.</param>
    /// <param name="description">The input description for errors.</param>
    /// <param name="resizeTarget">For the shrink-on-load fast path: the size the upright image will be resized to,
    /// given its size; <see langword="null"/> when unknown.</param>
    /// <returns>The opened image; dispose it.</returns>
    internal VipsDecoding Open(ReadOnlyMemory<byte> encoded, string description, Func<int, int, (int Width, int Height)>? resizeTarget)
    {
        ArgumentException.ThrowIfNullOrEmpty(description);
        if (encoded.IsEmpty)
        {
            throw new EmbeddingInputException(EmbeddingInputError.Empty, description, "the image is empty (0 bytes).");
        }

        if (encoded.Length > _options.MaxEncodedBytes)
        {
            throw new EmbeddingInputException(
                EmbeddingInputError.TooLarge, description, $"the encoded image is {encoded.Length} bytes, more than the limit of {_options.MaxEncodedBytes}.");
        }

        return VipsDecoding.Open(encoded, description, _options, resizeTarget);
    }

    /// <summary>Picks libjpeg's DCT scaling: the largest of 8, 4 and 2 that keeps the decoded image at least twice the
    /// size it will be resized to, so the exact antialiased resize still does the final reduction.</summary>
    /// <param name="width">The upright width.</param>
    /// <param name="height">The upright height.</param>
    /// <param name="targetWidth">The width the image will be resized to.</param>
    /// <param name="targetHeight">The height the image will be resized to.</param>
    /// <returns>1, 2, 4 or 8.</returns>
    internal static int ChooseShrink(int width, int height, int targetWidth, int targetHeight)
    {
        for (int shrink = 8; shrink > 1; shrink /= 2)
        {
            if (width / shrink >= 2 * targetWidth && height / shrink >= 2 * targetHeight)
            {
                return shrink;
            }
        }

        return 1;
    }
}
