using System.Buffers.Binary;

namespace Embeddings.Reliability.HostileInput;

/// <summary>Writes small little-endian baseline TIFFs (uncompressed, one strip) whose tags can lie.</summary>
internal static class TiffWriter
{
    /// <summary>Encodes an image; <paramref name="patch"/> may change tags (tag id, value) before they are written.</summary>
    /// <param name="width">The width the header claims.</param>
    /// <param name="height">The height the header claims.</param>
    /// <param name="samples">Samples per pixel (1 grey, 3 RGB, 4 CMYK).</param>
    /// <param name="bits">Bits per sample (8 or 16).</param>
    /// <param name="photometric">0/1 grey, 2 RGB, 5 separated (CMYK).</param>
    /// <param name="pixels">The strip's bytes.</param>
    /// <param name="patch">Tag overrides (for lying headers); a value of -1 removes the tag.</param>
    /// <param name="nextIfd">The offset of the next IFD (0 for none; the IFD's own offset makes a loop).</param>
    public static byte[] Encode(int width, int height, int samples, int bits, int photometric, byte[] pixels,
        IReadOnlyDictionary<ushort, long>? patch = null, uint? nextIfd = null)
    {
        // Layout: header (8), bits-per-sample array (2 * samples), pixel strip, then the IFD.
        int bitsOffset = 8;
        int stripOffset = bitsOffset + (2 * samples);
        int ifdOffset = stripOffset + pixels.Length;
        ifdOffset += ifdOffset % 2;

        var tags = new SortedDictionary<ushort, (ushort Type, uint Count, long Value)>
        {
            [256] = (4, 1, width),
            [257] = (4, 1, height),
            [258] = samples == 1 ? ((ushort)3, 1u, bits) : ((ushort)3, (uint)samples, bitsOffset),
            [259] = (3, 1, 1),
            [262] = (3, 1, photometric),
            [273] = (4, 1, stripOffset),
            [277] = (3, 1, samples),
            [278] = (4, 1, height),
            [279] = (4, 1, pixels.Length),
            [284] = (3, 1, 1),
        };
        if (photometric == 5)
        {
            tags[332] = (3, 1, 1); // InkSet: CMYK
        }

        foreach ((ushort tag, long value) in patch ?? new Dictionary<ushort, long>())
        {
            if (value < 0)
            {
                tags.Remove(tag);
            }
            else
            {
                tags[tag] = (tags.TryGetValue(tag, out var t) ? t.Type : (ushort)4, tags.TryGetValue(tag, out t) ? t.Count : 1u, value);
            }
        }

        byte[] tiff = new byte[ifdOffset + 2 + (12 * tags.Count) + 4];
        "II"u8.CopyTo(tiff);
        BinaryPrimitives.WriteUInt16LittleEndian(tiff.AsSpan(2), 42);
        BinaryPrimitives.WriteUInt32LittleEndian(tiff.AsSpan(4), (uint)ifdOffset);
        for (int s = 0; s < samples; s++)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(tiff.AsSpan(bitsOffset + (2 * s)), (ushort)bits);
        }

        pixels.CopyTo(tiff, stripOffset);
        Span<byte> ifd = tiff.AsSpan(ifdOffset);
        BinaryPrimitives.WriteUInt16LittleEndian(ifd, (ushort)tags.Count);
        int at = 2;
        foreach ((ushort tag, (ushort type, uint count, long value)) in tags)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(ifd[at..], tag);
            BinaryPrimitives.WriteUInt16LittleEndian(ifd[(at + 2)..], type);
            BinaryPrimitives.WriteUInt32LittleEndian(ifd[(at + 4)..], count);
            if (type == 3 && count == 1)
            {
                BinaryPrimitives.WriteUInt16LittleEndian(ifd[(at + 8)..], (ushort)value);
            }
            else
            {
                BinaryPrimitives.WriteUInt32LittleEndian(ifd[(at + 8)..], (uint)value);
            }

            at += 12;
        }

        BinaryPrimitives.WriteUInt32LittleEndian(ifd[at..], nextIfd ?? 0);
        return tiff;
    }

    /// <summary>The offset of the first IFD of a TIFF written by <see cref="Encode"/>.</summary>
    public static uint FirstIfd(byte[] tiff) => BinaryPrimitives.ReadUInt32LittleEndian(tiff.AsSpan(4));
}
