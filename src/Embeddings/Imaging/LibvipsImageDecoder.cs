using System.Buffers;
using System.Runtime.InteropServices;

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
public sealed unsafe class LibvipsImageDecoder : IImageDecoder
{
    // Vector code may read up to this many bytes past the last pixel of a decoded image.
    private const int Padding = 64;

    private readonly ImageDecoderOptions _options;
    private readonly (byte R, byte G, byte B)? _background;

    /// <summary>Creates a decoder.</summary>
    /// <param name="options">Limits and behaviour; <see langword="null"/> for the defaults. The options are copied.</param>
    public LibvipsImageDecoder(ImageDecoderOptions? options = null)
    {
        _options = options?.Clone() ?? new ImageDecoderOptions();
        _background = _options.AlphaBackground is { } color ? (color.R, color.G, color.B) : null;
    }

    /// <summary>Gets a copy of the options this decoder uses.</summary>
    public ImageDecoderOptions Options => _options.Clone();

    /// <inheritdoc/>
    public RgbImage Decode(ReadOnlyMemory<byte> encoded, string inputDescription)
    {
        using RentedRgbImage image = DecodeRented(encoded.Span, inputDescription, resizeTarget: null);
        return new RgbImage(image.Width, image.Height, image.Pixels.ToArray());
    }

    /// <summary>Decodes into a pooled buffer.</summary>
    /// <param name="encoded">The encoded image.</param>
    /// <param name="description">The input description for errors.</param>
    /// <param name="resizeTarget">For the shrink-on-load fast path: the size the upright image will be resized to,
    /// given its size; <see langword="null"/> when unknown.</param>
    /// <returns>The upright RGB image; dispose it to return the buffer.</returns>
    internal RentedRgbImage DecodeRented(ReadOnlySpan<byte> encoded, string description, Func<int, int, (int Width, int Height)>? resizeTarget)
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

        Libvips vips = Libvips.Get(_options.LibvipsPath);
        fixed (byte* data = encoded)
        {
            byte* loaderName = vips.FindLoadBuffer(data, (nuint)encoded.Length);
            if (loaderName is null)
            {
                vips.TakeError();
                throw new EmbeddingInputException(
                    EmbeddingInputError.UnsupportedFormat, description, "the data is not in a recognised image format (JPEG, PNG, WebP, GIF, TIFF, HEIF/AVIF, JPEG 2000, JPEG XL).");
            }

            VipsLoader loader = VipsLoader.FromTypeName(Marshal.PtrToStringUTF8((nint)loaderName) ?? string.Empty);
            if (!loader.IsAccepted)
            {
                throw new EmbeddingInputException(
                    EmbeddingInputError.UnsupportedFormat, description, $"the {loader.DisplayName} format is not accepted; send JPEG, PNG, WebP, GIF, TIFF, HEIF/AVIF, JPEG 2000 or JPEG XL.");
            }

            nint image = Load(vips, loaderName, data, encoded.Length, shrink: 1, description);
            try
            {
                VipsHeader header = ReadHeader(vips, image, description);
                int orientation = ReadOrientation(vips, image, loader);
                if (_options.ShrinkOnLoad && loader.Kind == ImageFormatKind.Jpeg && resizeTarget is not null)
                {
                    (int uprightWidth, int uprightHeight) = ExifOrientation.UprightSize(orientation, header.Width, header.Height);
                    (int targetWidth, int targetHeight) = resizeTarget(uprightWidth, uprightHeight);
                    int shrink = ChooseShrink(uprightWidth, uprightHeight, targetWidth, targetHeight);
                    if (shrink > 1)
                    {
                        nint shrunk = Load(vips, loaderName, data, encoded.Length, shrink, description);
                        vips.ObjectUnref(image);
                        image = shrunk;
                        header = ReadHeader(vips, image, description);
                    }
                }

                (byte R, byte G, byte B)? gifColor = null;
                if (loader.Kind == ImageFormatKind.Gif && _background is null && GifTransparency.TryGetFirstFrameColor(encoded, out var color))
                {
                    gifColor = color;
                }

                return ReadPixels(vips, image, header, orientation, gifColor, description);
            }
            finally
            {
                vips.ObjectUnref(image);
            }
        }
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

    private static nint Load(Libvips vips, byte* loaderName, byte* data, int length, int shrink, string description)
    {
        nint operation = vips.OperationNew(loaderName);
        if (operation == 0)
        {
            throw new EmbeddingInputException(EmbeddingInputError.UnsupportedFormat, description, "libvips could not create a loader: " + vips.TakeError());
        }

        try
        {
            // The blob points at the caller's pinned bytes (no copy, no free function); it lives no longer than this decode.
            GValue blob = default;
            vips.ValueInit(&blob, vips.BlobGetType());
            vips.ValueSetBlob(&blob, 0, data, (nuint)length);
            fixed (byte* name = "buffer"u8)
            {
                vips.ObjectSetProperty(operation, name, &blob);
            }

            vips.ValueUnset(&blob);

            // Sequential access streams the decode instead of buffering the whole image inside libvips; "error"
            // turns truncated or damaged data into a failure, as Pillow raises, instead of grey filler pixels.
            SetOption(vips, operation, "access"u8, "sequential"u8);
            SetOption(vips, operation, "fail_on"u8, "error"u8);
            if (shrink > 1)
            {
                SetOption(vips, operation, "shrink"u8, shrink switch { 2 => "2"u8, 4 => "4"u8, _ => "8"u8 });
            }

            nint built = vips.CacheOperationBuild(operation);
            if (built == 0)
            {
                vips.ObjectUnrefOutputs(operation);
                throw new EmbeddingInputException(EmbeddingInputError.Corrupt, description, $"the image header could not be read ({vips.TakeError()}).");
            }

            try
            {
                GValue output = default;
                vips.ValueInit(&output, vips.ImageGetType());
                fixed (byte* name = "out"u8)
                {
                    vips.ObjectGetProperty(built, name, &output);
                }

                nint image = vips.ValueGetObject(&output);
                if (image != 0)
                {
                    vips.ObjectRef(image);
                }

                vips.ValueUnset(&output);
                return image != 0 ? image : throw new EmbeddingInputException(EmbeddingInputError.Corrupt, description, "libvips returned no image.");
            }
            finally
            {
                vips.ObjectUnrefOutputs(built);
                vips.ObjectUnref(built);
            }
        }
        finally
        {
            vips.ObjectUnref(operation);
        }
    }

    private static void SetOption(Libvips vips, nint operation, ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        // u8 literals carry a NUL terminator after their last byte. An option an older libvips lacks is skipped.
        fixed (byte* n = name)
        fixed (byte* v = value)
        {
            if (vips.ObjectSetArgumentFromString(operation, n, v) != 0)
            {
                vips.TakeError();
            }
        }
    }

    private VipsHeader ReadHeader(Libvips vips, nint image, string description)
    {
        var header = new VipsHeader(
            vips.ImageGetWidth(image),
            vips.ImageGetHeight(image),
            vips.ImageGetBands(image),
            (VipsBandFormat)vips.ImageGetFormat(image),
            (VipsInterpretation)vips.ImageGetInterpretation(image));

        if (header.Width <= 0 || header.Height <= 0)
        {
            throw new EmbeddingInputException(EmbeddingInputError.Corrupt, description, $"the header declares an empty image ({header.Width}x{header.Height}).");
        }

        if ((long)header.Width * header.Height > _options.MaxPixels)
        {
            throw new EmbeddingInputException(
                EmbeddingInputError.TooLarge, description, $"the image is {header.Width}x{header.Height} pixels, more than the limit of {_options.MaxPixels} pixels.");
        }

        string? unsupported = header.Interpretation switch
        {
            VipsInterpretation.Multiband or VipsInterpretation.BW or VipsInterpretation.Cmyk or VipsInterpretation.Rgb
                or VipsInterpretation.Srgb or VipsInterpretation.Rgb16 or VipsInterpretation.Grey16 => null,
            _ => $"images in the {header.Interpretation} colour space are not supported (Pillow cannot convert them to RGB either).",
        };
        unsupported ??= header.Format is VipsBandFormat.Complex or VipsBandFormat.DoubleComplex
            ? "complex-valued images are not supported."
            : header.Interpretation == VipsInterpretation.Cmyk
                ? (header.Bands is 4 or 5 ? null : $"a CMYK image with {header.Bands} bands is not supported.")
                : header.Bands is >= 1 and <= 4 ? null : $"images with {header.Bands} bands are not supported.";
        return unsupported is null ? header : throw new EmbeddingInputException(EmbeddingInputError.UnsupportedFormat, description, unsupported);
    }

    private static int ReadOrientation(Libvips vips, nint image, VipsLoader loader)
    {
        // TIFF carries the tag in its own first directory; the other formats in an EXIF block (and PNG, for Pillow,
        // also in XMP).
        if (loader.Kind == ImageFormatKind.Tiff)
        {
            fixed (byte* name = "orientation"u8)
            {
                int value;
                return vips.ImageGetTypeof(image, name) != 0 && vips.ImageGetInt(image, name, &value) == 0 && value is >= 1 and <= 8 ? value : 1;
            }
        }

        int orientation = 1;
        if (TryGetBlob(vips, image, "exif-data"u8, out ReadOnlySpan<byte> exif))
        {
            orientation = ExifOrientation.Read(exif);
        }

        if (orientation == 1 && loader.Kind == ImageFormatKind.Png && TryGetBlob(vips, image, "xmp-data"u8, out ReadOnlySpan<byte> xmp))
        {
            orientation = ExifOrientation.ReadXmp(xmp);
        }

        return orientation;
    }

    private static bool TryGetBlob(Libvips vips, nint image, ReadOnlySpan<byte> field, out ReadOnlySpan<byte> blob)
    {
        blob = default;
        fixed (byte* name = field)
        {
            void* data;
            nuint length;
            if (vips.ImageGetTypeof(image, name) == 0 || vips.ImageGetBlob(image, name, &data, &length) != 0)
            {
                return false;
            }

            // The blob belongs to the image, which outlives every use of this span.
            blob = new ReadOnlySpan<byte>(data, (int)Math.Min(length, int.MaxValue));
            return true;
        }
    }

    private RentedRgbImage ReadPixels(Libvips vips, nint image, VipsHeader header, int orientation, (byte R, byte G, byte B)? gifColor, string description)
    {
        int pixelCount = header.Width * header.Height;
        long rawLength = (long)pixelCount * header.Bands * PillowRgbConversion.SampleSize(header.Format);
        if (rawLength > Array.MaxLength - Padding)
        {
            throw new EmbeddingInputException(EmbeddingInputError.TooLarge, description, $"the decoded image would need {rawLength} bytes.");
        }

        byte[]? raw = ArrayPool<byte>.Shared.Rent((int)rawLength + Padding);
        byte[]? rgb = null;
        try
        {
            fixed (byte* destination = raw)
            {
                nint memory = vips.ImageNewFromMemory(destination, (nuint)rawLength, header.Width, header.Height, header.Bands, (int)header.Format);
                if (memory == 0)
                {
                    throw new EmbeddingInputException(EmbeddingInputError.Corrupt, description, $"libvips could not prepare the pixels ({vips.TakeError()}).");
                }

                int status = vips.ImageWrite(image, memory);
                vips.ObjectUnref(memory);
                if (status != 0)
                {
                    throw new EmbeddingInputException(EmbeddingInputError.Corrupt, description, $"the image data is damaged or truncated ({vips.TakeError()}).");
                }
            }

            bool cmyk = header.Interpretation == VipsInterpretation.Cmyk;
            if (gifColor is { } fill && header.Bands == 4 && header.Format == VipsBandFormat.UChar)
            {
                PaintTransparent(raw.AsSpan(0, (int)rawLength), fill);
            }

            if (header.Format == VipsBandFormat.UChar && header.Bands == 3)
            {
                rgb = raw;
                raw = null;
            }
            else
            {
                rgb = ArrayPool<byte>.Shared.Rent((pixelCount * 3) + Padding);
                PillowRgbConversion.Convert(raw.AsSpan(0, (int)rawLength), pixelCount, header.Bands, header.Format, cmyk, _background, rgb);
            }

            if (orientation != 1)
            {
                byte[] upright = ArrayPool<byte>.Shared.Rent((pixelCount * 3) + Padding);
                ExifOrientation.Apply(orientation, rgb.AsSpan(0, pixelCount * 3), header.Width, header.Height, upright);
                ArrayPool<byte>.Shared.Return(rgb);
                rgb = upright;
            }

            (int width, int height) = ExifOrientation.UprightSize(orientation, header.Width, header.Height);
            RentedRgbImage result = RentedRgbImage.Rented(rgb, width, height);
            rgb = null;
            return result;
        }
        finally
        {
            if (raw is not null)
            {
                ArrayPool<byte>.Shared.Return(raw);
            }

            if (rgb is not null)
            {
                ArrayPool<byte>.Shared.Return(rgb);
            }
        }
    }

    private static void PaintTransparent(Span<byte> rgba, (byte R, byte G, byte B) color)
    {
        for (int i = 0; i + 3 < rgba.Length; i += 4)
        {
            if (rgba[i + 3] == 0)
            {
                rgba[i] = color.R;
                rgba[i + 1] = color.G;
                rgba[i + 2] = color.B;
            }
        }
    }
}
