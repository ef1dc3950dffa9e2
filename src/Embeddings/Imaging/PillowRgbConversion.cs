using System.Runtime.InteropServices;

namespace Embeddings.Imaging;

/// <summary>
/// Turns the bands libvips decodes into 8-bit RGB exactly as Pillow's <c>Image.open(...).convert("RGB")</c> does
/// (Pillow 9.4, checked against it by the parity tests):
/// <list type="bullet">
/// <item>greyscale is replicated; alpha is dropped, never composited (unless a background is asked for);</item>
/// <item>CMYK uses Pillow's own formula <c>255 - k - c(255 - k)/255</c> (no ICC profile);</item>
/// <item>16-bit colour keeps the high byte (Pillow reads it with its <c>;16B</c> unpackers);</item>
/// <item>one-band 16/32-bit and float data are clipped to 0..255 after truncation (Pillow's modes I, I;16 and F).</item>
/// </list>
/// With a background, the alpha is composited over it with Pillow's <c>Image.alpha_composite</c> arithmetic, as
/// some transformers processors do with a white background.
/// </summary>
internal static class PillowRgbConversion
{
    /// <summary>Converts <paramref name="pixelCount"/> pixels of raw band data to interleaved RGB.</summary>
    /// <param name="raw">The decoded samples, pixel-interleaved, in native byte order.</param>
    /// <param name="pixelCount">The number of pixels.</param>
    /// <param name="bands">The number of bands (1 to 5).</param>
    /// <param name="format">The sample type.</param>
    /// <param name="cmyk">Whether the first four bands are CMYK.</param>
    /// <param name="background">A background to composite alpha over, or <see langword="null"/> to drop alpha.</param>
    /// <param name="rgb">Receives <paramref name="pixelCount"/> * 3 bytes.</param>
    internal static void Convert(
        ReadOnlySpan<byte> raw, int pixelCount, int bands, VipsBandFormat format, bool cmyk, (byte R, byte G, byte B)? background, Span<byte> rgb)
    {
        if (format == VipsBandFormat.UChar)
        {
            ConvertBytes(raw, pixelCount, bands, cmyk, background, rgb);
            return;
        }

        // Wider samples become bytes first, by Pillow's rule for their mode, then follow the 8-bit path.
        byte[] narrowed = System.Buffers.ArrayPool<byte>.Shared.Rent(pixelCount * bands);
        try
        {
            int size = SampleSize(format);
            for (int i = 0; i < pixelCount * bands; i++)
            {
                narrowed[i] = Narrow(raw.Slice(i * size, size), format, bands);
            }

            ConvertBytes(narrowed.AsSpan(0, pixelCount * bands), pixelCount, bands, cmyk, background, rgb);
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(narrowed);
        }
    }

    /// <summary>Gets the size in bytes of one sample.</summary>
    /// <param name="format">The sample type.</param>
    /// <returns>The size.</returns>
    internal static int SampleSize(VipsBandFormat format) => format switch
    {
        VipsBandFormat.UChar or VipsBandFormat.Char => 1,
        VipsBandFormat.UShort or VipsBandFormat.Short => 2,
        VipsBandFormat.UInt or VipsBandFormat.Int or VipsBandFormat.Float => 4,
        VipsBandFormat.Double or VipsBandFormat.Complex => 8,
        _ => 16,
    };

    private static byte Narrow(ReadOnlySpan<byte> sample, VipsBandFormat format, int bands)
    {
        if (format == VipsBandFormat.UShort && bands > 1)
        {
            // PNG/TIFF 16-bit colour: Pillow's RGB;16B / RGBA;16B / LA;16B unpackers keep the most significant byte.
            return (byte)(MemoryMarshal.Read<ushort>(sample) >> 8);
        }

        double value = format switch
        {
            VipsBandFormat.Char => (sbyte)sample[0],
            VipsBandFormat.UShort => MemoryMarshal.Read<ushort>(sample),
            VipsBandFormat.Short => MemoryMarshal.Read<short>(sample),
            VipsBandFormat.UInt => MemoryMarshal.Read<uint>(sample),
            VipsBandFormat.Int => MemoryMarshal.Read<int>(sample),
            VipsBandFormat.Float => MemoryMarshal.Read<float>(sample),
            VipsBandFormat.Double => MemoryMarshal.Read<double>(sample),
            _ => 0,
        };

        // Pillow's I -> RGB and F -> RGB: clip to 0..255, truncating fractions (float 254.7 -> 254).
        return value <= 0 || double.IsNaN(value) ? (byte)0 : value >= 255 ? (byte)255 : (byte)value;
    }

    private static void ConvertBytes(
        ReadOnlySpan<byte> raw, int pixelCount, int bands, bool cmyk, (byte R, byte G, byte B)? background, Span<byte> rgb)
    {
        switch (bands)
        {
            case 1:
                for (int i = 0, o = 0; i < pixelCount; i++, o += 3)
                {
                    byte v = raw[i];
                    rgb[o] = v;
                    rgb[o + 1] = v;
                    rgb[o + 2] = v;
                }

                break;
            case 2:
                for (int i = 0, o = 0; i < pixelCount; i++, o += 3)
                {
                    byte v = raw[i * 2];
                    Store(rgb, o, v, v, v, raw[(i * 2) + 1], background);
                }

                break;
            case 3:
                raw[..(pixelCount * 3)].CopyTo(rgb);
                break;
            case 4 when !cmyk:
                for (int i = 0, o = 0; i < pixelCount; i++, o += 3)
                {
                    int s = i * 4;
                    Store(rgb, o, raw[s], raw[s + 1], raw[s + 2], raw[s + 3], background);
                }

                break;
            default:
                // CMYK, possibly followed by alpha (which Pillow's CMYK mode does not carry).
                for (int i = 0, o = 0; i < pixelCount; i++, o += 3)
                {
                    int s = i * bands;
                    int nk = 255 - raw[s + 3];
                    rgb[o] = CmykChannel(raw[s], nk);
                    rgb[o + 1] = CmykChannel(raw[s + 1], nk);
                    rgb[o + 2] = CmykChannel(raw[s + 2], nk);
                }

                break;
        }
    }

    // Pillow's cmyk2rgb: CLIP8(nk - MULDIV255(c, nk)), MULDIV255(a, b) = ((a*b + 128) >> 8) + (a*b + 128)) >> 8.
    private static byte CmykChannel(int c, int nk)
    {
        int t = (c * nk) + 128;
        int v = nk - (((t >> 8) + t) >> 8);
        return (byte)Math.Clamp(v, 0, 255);
    }

    private static void Store(Span<byte> rgb, int o, byte r, byte g, byte b, byte a, (byte R, byte G, byte B)? background)
    {
        if (background is not { } bg || a == 255)
        {
            rgb[o] = r;
            rgb[o + 1] = g;
            rgb[o + 2] = b;
            return;
        }

        if (a == 0)
        {
            rgb[o] = bg.R;
            rgb[o + 1] = bg.G;
            rgb[o + 2] = bg.B;
            return;
        }

        // Pillow's alpha_composite over an opaque background, 7 extra bits of precision, divisions by 255 rounded.
        uint coef1 = (uint)a * 255 * 255 * 128 / (255 * 255);
        uint coef2 = (255 * 128) - coef1;
        rgb[o] = Composite(r, bg.R, coef1, coef2);
        rgb[o + 1] = Composite(g, bg.G, coef1, coef2);
        rgb[o + 2] = Composite(b, bg.B, coef1, coef2);
    }

    private static byte Composite(byte source, byte background, uint coef1, uint coef2)
    {
        uint t = (source * coef1) + (background * coef2) + (0x80 << 7);
        return (byte)((((t >> 8) + t) >> 8) >> 7);
    }
}
