using System.Buffers.Binary;
using System.Text;
using Embeddings.TestSupport;

namespace Embeddings.Imaging;

/// <summary>Inputs that must not decode: empty, truncated, random, lying headers, other formats.</summary>
internal static class BadImages
{
    /// <summary>Every bad input with a name and the reasons it may legitimately fail with.</summary>
    public static IEnumerable<(string Name, byte[] Data, EmbeddingInputError[] Reasons)> All()
    {
        var corrupt = new[] { EmbeddingInputError.Corrupt };
        var unrecognised = new[] { EmbeddingInputError.UnsupportedFormat };

        // Cut at several offsets: inside the signature (unrecognisable), inside the header, in the middle of the
        // pixel data, just before the end.
        foreach (string file in new[] { "rocket_launch.jpg", "landscape_mountains.jpg", "cat_chelsea.png", "landscape_mountains.webp", "dog_beach.gif", "camera_grayscale.jpg" })
        {
            byte[] data = File.ReadAllBytes(Path.Combine(TestAssets.ImagesDir, file));
            foreach (int cut in new[] { 3, 40, data.Length / 4, data.Length / 2, data.Length - 40 })
            {
                yield return ($"{file} cut at {cut}", data[..cut], cut <= 3 ? [EmbeddingInputError.UnsupportedFormat, EmbeddingInputError.Corrupt] : corrupt);
            }
        }

        var random = new Random(20240611);
        for (int i = 0; i < 4; i++)
        {
            byte[] noise = new byte[1 << (8 + (2 * i))];
            random.NextBytes(noise);
            noise[0] = 0x13; // no image signature starts with this byte
            yield return ($"random {noise.Length} bytes", noise, unrecognised);
        }

        // Valid signatures followed by noise: recognised, then refused while reading the header or pixels.
        foreach ((string format, byte[] magic) in new (string, byte[])[]
        {
            ("jpeg", [0xFF, 0xD8, 0xFF, 0xE0]),
            ("png", [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]),
            ("gif", "GIF89a"u8.ToArray()),
            ("webp", [.. "RIFF"u8, 0x00, 0x10, 0x00, 0x00, .. "WEBPVP8 "u8]),
            ("tiff", [(byte)'I', (byte)'I', 42, 0, 8, 0, 0, 0]),
        })
        {
            byte[] data = new byte[4096];
            random.NextBytes(data);
            magic.CopyTo(data, 0);
            yield return ($"{format} signature + noise", data, [EmbeddingInputError.Corrupt, EmbeddingInputError.UnsupportedFormat, EmbeddingInputError.TooLarge]);
        }

        yield return ("png header claiming 100000x100000", HugePng(100_000, 100_000), [EmbeddingInputError.TooLarge]);
        yield return ("gif header claiming 65535x65535", HugeGif(), [EmbeddingInputError.TooLarge]);
        yield return ("pdf", Encoding.ASCII.GetBytes("%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"), unrecognised);
        yield return ("svg", Encoding.UTF8.GetBytes("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"64\" height=\"64\"><rect width=\"64\" height=\"64\" fill=\"red\"/></svg>"), unrecognised);
        yield return ("plain text", Encoding.UTF8.GetBytes("secret-content: this is not an image, just a sentence.\n"), unrecognised);
    }

    /// <summary>A well-formed PNG (correct CRCs) whose header claims a huge image; its pixel data is one tiny
    /// deflate block, so only a header check can refuse it cheaply.</summary>
    public static byte[] HugePng(int width, int height)
    {
        using var stream = new MemoryStream();
        stream.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        byte[] header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8; // bit depth
        header[9] = 2; // truecolour
        PngWriter.WriteChunk(stream, "IHDR", header);
        PngWriter.WriteChunk(stream, "IDAT", [0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]);
        PngWriter.WriteChunk(stream, "IEND", []);
        return stream.ToArray();
    }

    private static byte[] HugeGif()
    {
        // Logical screen and first image both 65535 x 65535, global palette of 2 colours, minimal LZW data.
        return
        [
            .. "GIF89a"u8, 0xFF, 0xFF, 0xFF, 0xFF, 0x80, 0x00, 0x00,
            0, 0, 0, 255, 255, 255,
            0x2C, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0x00,
            0x02, 0x02, 0x44, 0x01, 0x00,
            0x3B,
        ];
    }
}
