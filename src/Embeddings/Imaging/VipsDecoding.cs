using System.Buffers;
using System.Runtime.InteropServices;

namespace Embeddings.Imaging;

/// <summary>
/// One image opened by libvips: the header is read and checked, the pixels are decoded on the calling thread strip by
/// strip, top to bottom (libvips region fetches on a sequential loader, no worker threads), and converted to 8-bit RGB
/// by Pillow's rules as they arrive. Not thread-safe; dispose to release the native image and the pinned input.
/// </summary>
internal sealed unsafe class VipsDecoding : IRgbRowSource, IDisposable
{
    // Bytes a strip may hold; vector code may read a little past the last pixel of a strip, hence the padding.
    private const int StripBytes = 256 * 1024;
    private const int Padding = 64;

    private readonly Libvips _vips;
    private readonly string _description;
    private readonly VipsHeader _header;
    private readonly (byte R, byte G, byte B)? _background;
    private readonly (byte R, byte G, byte B)? _gifColor;
    private MemoryHandle _pin;
    private nint _image;
    private nint _region;
    private byte[]? _strip;
    private int _nextRow;

    private VipsDecoding(Libvips vips, string description, MemoryHandle pin, nint image, VipsHeader header, int orientation,
        (int Width, int Height) fullSize, (byte R, byte G, byte B)? background, (byte R, byte G, byte B)? gifColor)
    {
        UprightFullSize = ExifOrientation.UprightSize(orientation, fullSize.Width, fullSize.Height);
        _vips = vips;
        _description = description;
        _pin = pin;
        _image = image;
        _header = header;
        _background = background;
        _gifColor = gifColor;
        Orientation = orientation;
        StripRows = Math.Clamp(StripBytes / (header.Width * header.Bands * PillowRgbConversion.SampleSize(header.Format)), 1, header.Height);
    }

    /// <summary>Gets the stored width (before the orientation is applied).</summary>
    public int Width => _header.Width;

    /// <summary>Gets the stored height (before the orientation is applied).</summary>
    public int Height => _header.Height;

    /// <inheritdoc/>
    public int StripRows { get; }

    /// <summary>Gets the EXIF orientation to apply (1 when the stored rows are already upright).</summary>
    public int Orientation { get; }

    /// <summary>Gets the upright size of the image at full scale. With shrink-on-load the decoded size is smaller;
    /// resize targets are computed from this size so the fast path keeps the exact path's geometry.</summary>
    public (int Width, int Height) UprightFullSize { get; }

    /// <summary>Opens an image: finds and checks its format, reads the header, enforces the pixel limit, reads the
    /// orientation and, for the fast path, re-opens a JPEG at a reduced DCT scale. No pixel is decoded yet.</summary>
    /// <param name="encoded">The encoded image; pinned until the decoding is disposed.</param>
    /// <param name="description">The input description for errors.</param>
    /// <param name="options">The limits and behaviour.</param>
    /// <param name="resizeTarget">For shrink-on-load: the size the upright image will be resized to.</param>
    /// <returns>The opened image.</returns>
    /// <exception cref="EmbeddingInputException">The input is not an accepted image, or is corrupt or too large.</exception>
    internal static VipsDecoding Open(ReadOnlyMemory<byte> encoded, string description, ImageDecoderOptions options, Func<int, int, (int Width, int Height)>? resizeTarget)
    {
        Libvips vips = Libvips.Get(options.LibvipsPath);
        MemoryHandle pin = encoded.Pin();
        nint image = 0;
        try
        {
            byte* data = (byte*)pin.Pointer;
            byte* loaderName = vips.FindLoadBuffer(data, (nuint)encoded.Length);
            if (loaderName is null)
            {
                vips.DiscardError();
                throw new EmbeddingInputException(
                    EmbeddingInputError.UnsupportedFormat, description, "the data is not in a recognised image format (JPEG, PNG, WebP, GIF, TIFF, HEIF/AVIF, JPEG 2000, JPEG XL).");
            }

            VipsLoader loader = VipsLoader.FromTypeName(Marshal.PtrToStringUTF8((nint)loaderName) ?? string.Empty);
            if (!loader.IsAccepted)
            {
                throw new EmbeddingInputException(
                    EmbeddingInputError.UnsupportedFormat, description, $"the {loader.DisplayName} format is not accepted; send JPEG, PNG, WebP, GIF, TIFF, HEIF/AVIF, JPEG 2000 or JPEG XL.");
            }

            image = Load(vips, loaderName, data, encoded.Length, shrink: 1, description);
            VipsHeader header = ReadHeader(vips, image, description, options.MaxPixels);
            int orientation = ReadOrientation(vips, image, loader);
            (int Width, int Height) fullSize = (header.Width, header.Height);
            if (options.ShrinkOnLoad && loader.Kind == ImageFormatKind.Jpeg && resizeTarget is not null)
            {
                (int uprightWidth, int uprightHeight) = ExifOrientation.UprightSize(orientation, header.Width, header.Height);
                (int targetWidth, int targetHeight) = resizeTarget(uprightWidth, uprightHeight);
                int shrink = LibvipsImageDecoder.ChooseShrink(uprightWidth, uprightHeight, targetWidth, targetHeight);
                if (shrink > 1)
                {
                    nint shrunk = Load(vips, loaderName, data, encoded.Length, shrink, description);
                    vips.ObjectUnref(image);
                    image = shrunk;
                    header = ReadHeader(vips, image, description, options.MaxPixels);
                }
            }

            (byte R, byte G, byte B)? background = options.AlphaBackground is { } color ? (color.R, color.G, color.B) : null;
            (byte R, byte G, byte B)? gifColor = null;
            if (loader.Kind == ImageFormatKind.Gif && background is null
                && GifTransparency.TryGetFirstFrameColor(encoded.Span, out (byte R, byte G, byte B) transparent))
            {
                gifColor = transparent;
            }

            var decoding = new VipsDecoding(vips, description, pin, image, header, orientation, fullSize, background, gifColor);
            image = 0;
            pin = default;
            return decoding;
        }
        finally
        {
            if (image != 0)
            {
                vips.ObjectUnref(image);
            }

            pin.Dispose();
        }
    }

    /// <inheritdoc/>
    public ReadOnlySpan<byte> NextRows(int rows)
    {
        ObjectDisposedException.ThrowIf(_image == 0, this);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(rows, Height - _nextRow);
        int length = rows * Width * 3;
        if (_strip is null || _strip.Length < length + Padding)
        {
            if (_strip is not null)
            {
                ArrayPool<byte>.Shared.Return(_strip);
            }

            _strip = ArrayPool<byte>.Shared.Rent(length + Padding);
        }

        ReadRows(_strip.AsSpan(0, length), rows);
        return _strip.AsSpan(0, length + Padding);
    }

    /// <summary>Decodes every remaining row and applies the orientation.</summary>
    /// <returns>The upright image in a pooled buffer.</returns>
    public RentedRgbImage ReadAll()
    {
        if (((long)Width * Height * 3) + Padding > Array.MaxLength)
        {
            throw new EmbeddingInputException(EmbeddingInputError.TooLarge, _description, $"the image is {Width}x{Height} pixels, too many to hold decoded.");
        }

        int pixels = Width * Height;
        byte[]? rgb = ArrayPool<byte>.Shared.Rent((pixels * 3) + Padding);
        try
        {
            for (int row = _nextRow; row < Height;)
            {
                int rows = Math.Min(StripRows, Height - row);
                ReadRows(rgb.AsSpan(row * Width * 3, rows * Width * 3), rows);
                row += rows;
            }

            if (Orientation != 1)
            {
                byte[] upright = ArrayPool<byte>.Shared.Rent((pixels * 3) + Padding);
                ExifOrientation.Apply(Orientation, rgb.AsSpan(0, pixels * 3), Width, Height, upright);
                ArrayPool<byte>.Shared.Return(rgb);
                rgb = upright;
            }

            (int width, int height) = ExifOrientation.UprightSize(Orientation, Width, Height);
            RentedRgbImage result = RentedRgbImage.Rented(rgb, width, height);
            rgb = null;
            return result;
        }
        finally
        {
            if (rgb is not null)
            {
                ArrayPool<byte>.Shared.Return(rgb);
            }
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_region != 0)
        {
            _vips.ObjectUnref(_region);
            _region = 0;
        }

        if (_image != 0)
        {
            _vips.ObjectUnref(_image);
            _image = 0;
        }

        _pin.Dispose();
        if (_strip is not null)
        {
            ArrayPool<byte>.Shared.Return(_strip);
            _strip = null;
        }
    }

    private void ReadRows(Span<byte> rgb, int rows)
    {
        if (_region == 0)
        {
            _region = _vips.RegionNew(_image);
            if (_region == 0)
            {
                _vips.DiscardError();
                throw new EmbeddingInputException(EmbeddingInputError.Corrupt, _description, "libvips could not prepare the pixels.");
            }
        }

        // libvips allocates each fetched strip; it is converted into the caller's span and freed at once.
        nuint length;
        byte* raw = _vips.RegionFetch(_region, 0, _nextRow, Width, rows, &length);
        if (raw is null)
        {
            _vips.DiscardError();
            throw new EmbeddingInputException(EmbeddingInputError.Corrupt, _description, "the image data is damaged or truncated.");
        }

        try
        {
            var samples = new Span<byte>(raw, (int)length);
            if (_gifColor is { } fill && _header.Bands == 4 && _header.Format == VipsBandFormat.UChar)
            {
                PaintTransparent(samples, fill);
            }

            PillowRgbConversion.Convert(samples, rows * Width, _header.Bands, _header.Format, _header.Interpretation == VipsInterpretation.Cmyk, _background, rgb);
        }
        finally
        {
            _vips.Free(raw);
        }

        _nextRow += rows;
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

    private static nint Load(Libvips vips, byte* loaderName, byte* data, int length, int shrink, string description)
    {
        nint operation = vips.OperationNew(loaderName);
        if (operation == 0)
        {
            vips.DiscardError();
            throw new EmbeddingInputException(EmbeddingInputError.UnsupportedFormat, description, "libvips could not create a loader.");
        }

        try
        {
            // The blob points at the caller's pinned bytes (no copy, no free function); it lives no longer than this decoding.
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
                vips.DiscardError();
                throw new EmbeddingInputException(EmbeddingInputError.Corrupt, description, "the image header could not be read.");
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
                vips.DiscardError();
            }
        }
    }

    private static VipsHeader ReadHeader(Libvips vips, nint image, string description, long maxPixels)
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

        if ((long)header.Width * header.Height > maxPixels)
        {
            throw new EmbeddingInputException(
                EmbeddingInputError.TooLarge, description, $"the image is {header.Width}x{header.Height} pixels, more than the limit of {maxPixels} pixels.");
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
}
