using System.Buffers.Binary;

namespace Embeddings.Imaging;

/// <summary>
/// Reads the EXIF Orientation tag (0x0112) the way Pillow's <c>Image.getexif()</c> does, and applies it the way
/// <c>ImageOps.exif_transpose</c> does: only a single integer value from 2 to 8 transposes the image.
/// </summary>
internal static class ExifOrientation
{
    private const ushort OrientationTag = 0x0112;

    /// <summary>Finds the orientation in an EXIF block (with or without the <c>Exif\0\0</c> prefix of JPEG APP1).</summary>
    /// <param name="exif">The EXIF block: a TIFF header followed by IFD0.</param>
    /// <returns>The orientation (1 to 8), or 1 when it is absent, malformed or outside 1 to 8.</returns>
    internal static int Read(ReadOnlySpan<byte> exif)
    {
        if (exif.StartsWith("Exif\0\0"u8))
        {
            exif = exif[6..];
        }

        if (exif.Length < 8)
        {
            return 1;
        }

        bool little;
        if (exif.StartsWith("II"u8))
        {
            little = true;
        }
        else if (exif.StartsWith("MM"u8))
        {
            little = false;
        }
        else
        {
            return 1;
        }

        uint ifd = ReadUInt32(exif[4..], little);
        if (ifd > (uint)exif.Length - 2)
        {
            return 1;
        }

        int count = ReadUInt16(exif[(int)ifd..], little);
        int orientation = 1;
        for (int i = 0; i < count; i++)
        {
            int entry = (int)ifd + 2 + (i * 12);
            if (entry + 12 > exif.Length)
            {
                break;
            }

            ReadOnlySpan<byte> e = exif.Slice(entry, 12);
            if (ReadUInt16(e, little) != OrientationTag)
            {
                continue;
            }

            // Pillow keeps the last occurrence; a count other than one becomes a tuple, which transposes nothing.
            ushort type = ReadUInt16(e[2..], little);
            uint valueCount = ReadUInt32(e[4..], little);
            long value = valueCount != 1 ? 0 : type switch
            {
                1 => e[8],                                        // BYTE
                3 => ReadUInt16(e[8..], little),                  // SHORT
                4 => ReadUInt32(e[8..], little),                  // LONG
                6 => (sbyte)e[8],                                 // SBYTE
                8 => (short)ReadUInt16(e[8..], little),           // SSHORT
                9 => (int)ReadUInt32(e[8..], little),             // SLONG
                _ => 0,
            };
            orientation = value is >= 1 and <= 8 ? (int)value : 1;
        }

        return orientation;
    }

    /// <summary>Finds <c>tiff:Orientation</c> in XMP, which Pillow consults for PNG files whose EXIF has no orientation.</summary>
    /// <param name="xmp">The XMP packet.</param>
    /// <returns>The orientation (1 to 8), or 1.</returns>
    internal static int ReadXmp(ReadOnlySpan<byte> xmp)
    {
        // Pillow: re.search(r'tiff:Orientation(="|>)([0-9])', xmp).
        ReadOnlySpan<byte> key = "tiff:Orientation"u8;
        for (int at = xmp.IndexOf(key); at >= 0;)
        {
            int next = at + key.Length;
            if (next + 2 <= xmp.Length && (xmp[next] == (byte)'>' || (xmp[next] == (byte)'=' && xmp[next + 1] == (byte)'"')))
            {
                int digit = next + (xmp[next] == (byte)'>' ? 1 : 2);
                if (digit < xmp.Length && xmp[digit] is >= (byte)'0' and <= (byte)'9')
                {
                    int value = xmp[digit] - '0';
                    return value is >= 1 and <= 8 ? value : 1;
                }
            }

            int rest = xmp[next..].IndexOf(key);
            at = rest < 0 ? -1 : next + rest;
        }

        return 1;
    }

    /// <summary>Gets the size of the image after the orientation is applied.</summary>
    /// <param name="orientation">The orientation (1 to 8).</param>
    /// <param name="width">The stored width.</param>
    /// <param name="height">The stored height.</param>
    /// <returns>The upright width and height.</returns>
    internal static (int Width, int Height) UprightSize(int orientation, int width, int height) =>
        orientation >= 5 ? (height, width) : (width, height);

    /// <summary>
    /// Transposes interleaved RGB pixels as Pillow's <c>exif_transpose</c> does: 2 mirror, 3 rotate 180, 4 flip, 5
    /// transpose, 6 rotate 90 clockwise, 7 transverse, 8 rotate 90 counter-clockwise.
    /// </summary>
    /// <param name="orientation">The orientation (2 to 8).</param>
    /// <param name="source">The stored pixels, <paramref name="width"/> x <paramref name="height"/>.</param>
    /// <param name="width">The stored width.</param>
    /// <param name="height">The stored height.</param>
    /// <param name="destination">Receives the upright pixels; must not overlap the source.</param>
    internal static void Apply(int orientation, ReadOnlySpan<byte> source, int width, int height, Span<byte> destination)
    {
        (int outWidth, int outHeight) = UprightSize(orientation, width, height);
        int inStride = width * 3;
        for (int y = 0; y < outHeight; y++)
        {
            Span<byte> row = destination.Slice(y * outWidth * 3, outWidth * 3);
            for (int x = 0; x < outWidth; x++)
            {
                (int sx, int sy) = orientation switch
                {
                    2 => (width - 1 - x, y),
                    3 => (width - 1 - x, height - 1 - y),
                    4 => (x, height - 1 - y),
                    5 => (y, x),
                    6 => (y, height - 1 - x),
                    7 => (width - 1 - y, height - 1 - x),
                    8 => (width - 1 - y, x),
                    _ => (x, y),
                };
                int s = (sy * inStride) + (sx * 3);
                row[x * 3] = source[s];
                row[(x * 3) + 1] = source[s + 1];
                row[(x * 3) + 2] = source[s + 2];
            }
        }
    }

    private static ushort ReadUInt16(ReadOnlySpan<byte> b, bool little) =>
        little ? BinaryPrimitives.ReadUInt16LittleEndian(b) : BinaryPrimitives.ReadUInt16BigEndian(b);

    private static uint ReadUInt32(ReadOnlySpan<byte> b, bool little) =>
        little ? BinaryPrimitives.ReadUInt32LittleEndian(b) : BinaryPrimitives.ReadUInt32BigEndian(b);
}
