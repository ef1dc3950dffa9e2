using System.Drawing;

namespace Embeddings.Imaging;

/// <summary>How encoded images are read and decoded: limits, alpha handling, the optional fast path and where
/// libvips is.</summary>
public sealed class ImageDecoderOptions
{
    /// <summary>The default <see cref="MaxEncodedBytes"/>: 64 MiB.</summary>
    public const long DefaultMaxEncodedBytes = 64L * 1024 * 1024;

    /// <summary>The default <see cref="MaxPixels"/>: 89,478,485, Pillow's <c>Image.MAX_IMAGE_PIXELS</c>.</summary>
    public const long DefaultMaxPixels = 89_478_485;

    /// <summary>
    /// Gets or sets the largest encoded image accepted, in bytes. Larger inputs fail with
    /// <see cref="EmbeddingInputError.TooLarge"/> before they are read in full.
    /// </summary>
    public long MaxEncodedBytes
    {
        get;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(value);
            field = value;
        }
    } = DefaultMaxEncodedBytes;

    /// <summary>
    /// Gets or sets the largest image accepted, in pixels (width x height). The dimensions are read from the header
    /// and checked before any pixel is decoded, so a small file that claims a huge image (a decompression bomb) fails
    /// with <see cref="EmbeddingInputError.TooLarge"/> without allocating its pixels.
    /// </summary>
    public long MaxPixels
    {
        get;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(value);
            field = value;
        }
    } = DefaultMaxPixels;

    /// <summary>
    /// Gets or sets a colour to composite transparent images over (with Pillow's <c>alpha_composite</c> arithmetic;
    /// the colour's own alpha is ignored), or <see langword="null"/> (the default) to drop the alpha channel as
    /// Pillow's <c>convert("RGB")</c> and transformers' <c>load_image</c> do. Some processors (Idefics2, Mllama)
    /// composite over white: set <see cref="Color.White"/> to match them.
    /// </summary>
    public Color? AlphaBackground { get; set; }

    /// <summary>
    /// Gets or sets whether large JPEGs may be decoded at 1/2, 1/4 or 1/8 scale (libjpeg's DCT scaling, libvips'
    /// shrink-on-load) when the image is later reduced to at most a quarter of that size. Much faster for photos far
    /// larger than the model input, but the pixels differ slightly from the exact path that matches Python; see
    /// benchmarks/README.md for the measured deviation. Off by default.
    /// </summary>
    public bool ShrinkOnLoad { get; set; }

    /// <summary>
    /// Gets or sets the libvips library file to load, or <see langword="null"/> to search: the
    /// <c>EMBEDDINGS_LIBVIPS_PATH</c> environment variable, a sharp-libvips build (<c>libvips-cpp.so.*</c>) next to
    /// the application, then the system's libvips (<c>libvips.so.42</c>). libvips is loaded once per process; the
    /// first decoder to load it decides which file is used.
    /// </summary>
    public string? LibvipsPath { get; set; }

    /// <summary>Creates a copy of these options.</summary>
    /// <returns>A new instance with the same values.</returns>
    public ImageDecoderOptions Clone() => new()
    {
        MaxEncodedBytes = MaxEncodedBytes,
        MaxPixels = MaxPixels,
        AlphaBackground = AlphaBackground,
        ShrinkOnLoad = ShrinkOnLoad,
        LibvipsPath = LibvipsPath,
    };
}
