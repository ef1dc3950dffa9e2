using System.Buffers.Binary;

namespace Embeddings.Reliability.HostileInput;

/// <summary>Edits real JPEG files at the marker level: lying frame sizes and injected (malformed) EXIF segments.</summary>
internal static class JpegSurgery
{
    /// <summary>Rewrites the frame header (SOFn) to claim another size; the scan data stays as it was.</summary>
    public static byte[] WithFrameSize(byte[] jpeg, ushort width, ushort height)
    {
        byte[] copy = (byte[])jpeg.Clone();
        int at = 2;
        while (at + 4 <= copy.Length && copy[at] == 0xFF)
        {
            byte marker = copy[at + 1];
            int length = BinaryPrimitives.ReadUInt16BigEndian(copy.AsSpan(at + 2));
            if (marker is >= 0xC0 and <= 0xCF and not 0xC4 and not 0xC8 and not 0xCC)
            {
                BinaryPrimitives.WriteUInt16BigEndian(copy.AsSpan(at + 5), height);
                BinaryPrimitives.WriteUInt16BigEndian(copy.AsSpan(at + 7), width);
                return copy;
            }

            at += 2 + length;
        }

        throw new InvalidOperationException("No frame header found.");
    }

    /// <summary>Removes every APP1 segment (existing EXIF/XMP), so an injected one is the only one.</summary>
    public static byte[] WithoutApp1(byte[] jpeg)
    {
        using var output = new MemoryStream();
        output.Write(jpeg, 0, 2);
        int at = 2;
        while (at + 4 <= jpeg.Length && jpeg[at] == 0xFF && jpeg[at + 1] != 0xDA)
        {
            int length = BinaryPrimitives.ReadUInt16BigEndian(jpeg.AsSpan(at + 2));
            if (jpeg[at + 1] != 0xE1)
            {
                output.Write(jpeg, at, 2 + length);
            }

            at += 2 + length;
        }

        output.Write(jpeg, at, jpeg.Length - at);
        return output.ToArray();
    }

    /// <summary>Inserts APP1 segments, each <c>Exif\0\0</c> followed by the given TIFF-structured payload, after SOI.</summary>
    public static byte[] WithExif(byte[] jpeg, params byte[][] tiffPayloads)
    {
        using var output = new MemoryStream();
        output.Write(jpeg, 0, 2);
        foreach (byte[] payload in tiffPayloads)
        {
            int length = 2 + 6 + payload.Length;
            output.Write([0xFF, 0xE1, (byte)(length >> 8), (byte)length]);
            output.Write("Exif\0\0"u8);
            output.Write(payload);
        }

        output.Write(jpeg, 2, jpeg.Length - 2);
        return output.ToArray();
    }

    /// <summary>A little- or big-endian TIFF structure with one IFD of raw 12-byte entries.</summary>
    /// <param name="bigEndian">Write "MM" instead of "II".</param>
    /// <param name="ifdOffset">The first IFD's offset as written (it may point anywhere).</param>
    /// <param name="declaredCount">The entry count as written (it may exceed the entries given).</param>
    /// <param name="entries">(tag, type, count, value) entries, written in order.</param>
    /// <param name="nextIfd">The next IFD offset as written (8 makes the IFD its own successor).</param>
    public static byte[] Tiff(bool bigEndian, uint ifdOffset, int declaredCount, (ushort Tag, ushort Type, uint Count, uint Value)[] entries, uint nextIfd = 0)
    {
        byte[] data = new byte[8 + 2 + (12 * entries.Length) + 4];
        void U16(int at, ushort v)
        {
            if (bigEndian)
            {
                BinaryPrimitives.WriteUInt16BigEndian(data.AsSpan(at), v);
            }
            else
            {
                BinaryPrimitives.WriteUInt16LittleEndian(data.AsSpan(at), v);
            }
        }

        void U32(int at, uint v)
        {
            if (bigEndian)
            {
                BinaryPrimitives.WriteUInt32BigEndian(data.AsSpan(at), v);
            }
            else
            {
                BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(at), v);
            }
        }

        data[0] = data[1] = bigEndian ? (byte)'M' : (byte)'I';
        U16(2, 42);
        U32(4, ifdOffset);
        U16(8, (ushort)declaredCount);
        for (int i = 0; i < entries.Length; i++)
        {
            int at = 10 + (12 * i);
            U16(at, entries[i].Tag);
            U16(at + 2, entries[i].Type);
            U32(at + 4, entries[i].Count);
            if (entries[i].Type == 3 && entries[i].Count == 1)
            {
                U16(at + 8, (ushort)entries[i].Value);
            }
            else
            {
                U32(at + 8, entries[i].Value);
            }
        }

        U32(10 + (12 * entries.Length), nextIfd);
        return data;
    }
}
