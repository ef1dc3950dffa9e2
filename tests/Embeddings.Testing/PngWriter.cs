using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Embeddings.TestSupport;

/// <summary>Writes PNG files of any colour type and depth (with correct CRCs), so the corpus covers what testdata lacks.</summary>
internal static class PngWriter
{
    public const byte Grey = 0;
    public const byte Rgb = 2;
    public const byte Palette = 3;
    public const byte GreyAlpha = 4;
    public const byte Rgba = 6;

    /// <summary>Encodes an image whose scanlines <paramref name="row"/> fills (without the filter byte).</summary>
    public static byte[] Encode(int width, int height, byte colourType, byte bitDepth, Action<int, Span<byte>> row,
        byte[]? palette = null, byte[]? transparency = null, IEnumerable<(string Type, byte[] Data)>? extraChunks = null)
    {
        int channels = colourType switch { Grey or Palette => 1, GreyAlpha => 2, Rgb => 3, _ => 4 };
        int stride = (int)(((long)width * channels * bitDepth + 7) / 8);
        using var idat = new MemoryStream();
        using (var z = new ZLibStream(idat, CompressionLevel.Fastest, leaveOpen: true))
        {
            byte[] line = new byte[stride + 1];
            for (int y = 0; y < height; y++)
            {
                Array.Clear(line);
                row(y, line.AsSpan(1));
                z.Write(line);
            }
        }

        return Assemble(width, height, colourType, bitDepth, idat.ToArray(), palette, transparency, extraChunks);
    }

    /// <summary>Assembles the chunks around already-compressed image data (which may lie about the header).</summary>
    public static byte[] Assemble(int width, int height, byte colourType, byte bitDepth, byte[] idat,
        byte[]? palette = null, byte[]? transparency = null, IEnumerable<(string Type, byte[] Data)>? extraChunks = null)
    {
        using var png = new MemoryStream();
        png.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        byte[] header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = bitDepth;
        header[9] = colourType;
        WriteChunk(png, "IHDR", header);
        foreach ((string type, byte[] data) in extraChunks ?? [])
        {
            WriteChunk(png, type, data);
        }

        if (palette is not null)
        {
            WriteChunk(png, "PLTE", palette);
        }

        if (transparency is not null)
        {
            WriteChunk(png, "tRNS", transparency);
        }

        WriteChunk(png, "IDAT", idat);
        WriteChunk(png, "IEND", []);
        return png.ToArray();
    }

    /// <summary>Cuts a PNG into its chunks (type and whole chunk bytes, length and CRC included) after the signature.</summary>
    public static List<(string Type, byte[] Bytes)> Chunks(byte[] png)
    {
        var chunks = new List<(string, byte[])>();
        int at = 8;
        while (at + 12 <= png.Length)
        {
            int length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(at));
            if (length < 0 || at + 12 + length > png.Length)
            {
                break;
            }

            chunks.Add((Encoding.ASCII.GetString(png, at + 4, 4), png[at..(at + 12 + length)]));
            at += 12 + length;
        }

        return chunks;
    }

    /// <summary>Writes one chunk: length, type, data and its CRC.</summary>
    public static void WriteChunk(Stream stream, string type, byte[] data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        stream.Write(word);
        byte[] typed = [.. Encoding.ASCII.GetBytes(type), .. data];
        stream.Write(typed);
        BinaryPrimitives.WriteUInt32BigEndian(word, Crc32(typed));
        stream.Write(word);
    }

    // PNG's CRC-32 (ISO 3309, reflected polynomial 0xEDB88320).
    private static uint Crc32(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in data)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? 0xEDB88320 ^ (crc >> 1) : crc >> 1;
            }
        }

        return ~crc;
    }
}
