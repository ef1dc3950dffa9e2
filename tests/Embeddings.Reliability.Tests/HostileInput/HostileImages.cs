using System.Buffers.Binary;
using System.Text;
using Embeddings.TestSupport;
using static Embeddings.EmbeddingInputError;

namespace Embeddings.Reliability.HostileInput;

/// <summary>
/// The hostile image corpus, generated in memory from testdata/images and from scratch: empty and truncated files,
/// random bytes behind real signatures, lying headers, pixel bombs, extreme sizes, every colour layout, animation,
/// malformed EXIF, and carriers that fail (streams that throw or never end, missing files).
/// </summary>
internal static class HostileImages
{
    /// <summary>Real photos that must embed (the neighbours of the hostile items).</summary>
    public static readonly string[] GoodFiles = ["rocket_launch.jpg", "cat_chelsea.png", "landscape_mountains.webp", "dog_beach.gif"];

    private static readonly Lazy<IReadOnlyList<HostileItem>> s_all = new(() => [.. Build()]);

    public static IReadOnlyList<HostileItem> All => s_all.Value;

    public static byte[] Read(string file) => File.ReadAllBytes(Path.Combine(TestAssets.ImagesDir, file));

    private static IEnumerable<HostileItem> Build()
    {
        var random = new Random(7_340_033);

        yield return Bytes("empty", [], Outcome.Error(Empty));

        // Truncations: inside the signature, the header, the pixel data and the last bytes. A cut that only loses a
        // trailer (PNG's IEND, JPEG's EOI) may still decode, as it does with Pillow.
        foreach (string file in new[] { "rocket_launch.jpg", "cat_chelsea.png", "landscape_mountains.webp", "dog_beach.gif", "coffee_cmyk.jpg", "chelsea_16bit.png" })
        {
            byte[] data = Read(file);
            var cuts = new SortedSet<int> { 1, 2, 3, 4, 8, 12, 16, 24, 33, 64, 100, 200, 500 };
            for (int k = 1; k < 16; k++)
            {
                cuts.Add(data.Length * k / 16);
            }

            foreach (int back in new[] { 1, 2, 12 })
            {
                cuts.Add(data.Length - back);
            }

            foreach (int cut in cuts.Where(c => c > 0 && c < data.Length))
            {
                Outcome expected = cut >= data.Length - 12
                    ? Outcome.VectorOr(Corrupt)
                    : cut <= 8 ? Outcome.Error(UnsupportedFormat, Corrupt) : Outcome.Error(Corrupt, UnsupportedFormat);
                yield return Bytes($"{file} truncated at {cut}/{data.Length}", data[..cut], expected);
            }
        }

        // Random bytes behind every signature the decoder might recognise (and some it must refuse).
        (string Format, byte[] Magic)[] signatures =
        [
            ("jpeg", [0xFF, 0xD8, 0xFF, 0xE0]),
            ("jpeg-sof", [0xFF, 0xD8, 0xFF, 0xC0, 0x00, 0x11, 0x08]),
            ("png", [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]),
            ("png-ihdr", [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, (byte)'I', (byte)'H', (byte)'D', (byte)'R']),
            ("gif87", "GIF87a"u8.ToArray()),
            ("gif89", "GIF89a"u8.ToArray()),
            ("webp-vp8", [.. "RIFF"u8, 0x00, 0x10, 0x00, 0x00, .. "WEBPVP8 "u8]),
            ("webp-vp8l", [.. "RIFF"u8, 0x00, 0x10, 0x00, 0x00, .. "WEBPVP8L"u8]),
            ("tiff-le", [(byte)'I', (byte)'I', 42, 0, 8, 0, 0, 0]),
            ("tiff-be", [(byte)'M', (byte)'M', 0, 42, 0, 0, 0, 8]),
            ("bigtiff", [(byte)'I', (byte)'I', 43, 0, 8, 0, 0, 0]),
            ("bmp", "BM"u8.ToArray()),
            ("heic", [0, 0, 0, 0x18, .. "ftypheic"u8]),
            ("avif", [0, 0, 0, 0x1C, .. "ftypavif"u8]),
            ("jxl", [0xFF, 0x0A]),
            ("jp2", [0, 0, 0, 0x0C, (byte)'j', (byte)'P', (byte)' ', (byte)' ', 0x0D, 0x0A, 0x87, 0x0A]),
            ("psd", "8BPS"u8.ToArray()),
            ("ico", [0, 0, 1, 0]),
            ("pdf", "%PDF-1.7\n"u8.ToArray()),
            ("svg", "<svg xmlns=\"http://www.w3.org/2000/svg\""u8.ToArray()),
            ("fits", "SIMPLE  =                    T"u8.ToArray()),
            ("ppm", "P6\n"u8.ToArray()),
        ];
        foreach ((string format, byte[] magic) in signatures)
        {
            foreach (int size in new[] { magic.Length, 64, 4096 })
            {
                byte[] data = new byte[Math.Max(size, magic.Length)];
                random.NextBytes(data);
                magic.CopyTo(data, 0);
                yield return Bytes($"{format} signature + {data.Length - magic.Length} random bytes", data, Outcome.Error(Corrupt, UnsupportedFormat, TooLarge));
            }
        }

        // Headers that claim enormous images (refused before pixels are allocated) and real decompression bombs.
        yield return Bytes("png claiming 100000x100000", PngWriter.Assemble(100_000, 100_000, PngWriter.Rgb, 8, [0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]), Outcome.Error(TooLarge));
        yield return Bytes("png claiming 2147483647x1", PngWriter.Assemble(int.MaxValue, 1, PngWriter.Grey, 8, [0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]), Outcome.Error(TooLarge, Corrupt));
        yield return Bytes("png claiming 0x0", PngWriter.Assemble(0, 0, PngWriter.Rgb, 8, [0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]), Outcome.Error(Corrupt, Empty, UnsupportedFormat));
        yield return Bytes("png bomb 20000x20000 1-bit (400 Mpx of zeros)", PngWriter.Encode(20_000, 20_000, PngWriter.Grey, 1, (_, _) => { }), Outcome.Error(TooLarge));
        yield return Bytes("png claiming 3000x3000 with 1 row of data", PngWriter.Assemble(3000, 3000, PngWriter.Rgb, 8, Deflate(new byte[3001 * 3])), Outcome.Error(Corrupt));
        yield return Bytes("jpeg frame claiming 65500x65500", JpegSurgery.WithFrameSize(Read("rocket_launch.jpg"), 65_500, 65_500), Outcome.Error(TooLarge));
        yield return Bytes("jpeg frame claiming 0x0", JpegSurgery.WithFrameSize(Read("rocket_launch.jpg"), 0, 0), Outcome.Error(Corrupt, Empty));

        // libjpeg fills scan data that runs out before EOI with grey, and Pillow loads such a file; either is fine.
        yield return Bytes("jpeg frame claiming 4000x4000 over small scan data", JpegSurgery.WithFrameSize(Read("rocket_launch.jpg"), 4000, 4000), Outcome.VectorOr(Corrupt));
        yield return Bytes("gif claiming 65535x65535", HugeGif(), Outcome.Error(TooLarge));
        yield return Bytes("webp lossless claiming 16384x16384", HugeWebP(random), Outcome.Error(TooLarge, Corrupt));
        yield return Bytes("tiff claiming 100000x100000", TiffWriter.Encode(100_000, 100_000, 3, 8, 2, new byte[48]), Outcome.Error(TooLarge));

        // Extreme but legal sizes.
        yield return Bytes("png 1x1 rgb", PngWriter.Encode(1, 1, PngWriter.Rgb, 8, (_, r) => r.Fill(200)), Outcome.Vector);
        yield return Bytes("png 1x1 grey", PngWriter.Encode(1, 1, PngWriter.Grey, 8, (_, r) => r[0] = 7), Outcome.Vector);
        yield return Bytes("png 1x1 palette", PngWriter.Encode(1, 1, PngWriter.Palette, 8, (_, r) => r[0] = 0, palette: [10, 20, 30]), Outcome.Vector);
        yield return Bytes("png 1x4000", PngWriter.Encode(1, 4000, PngWriter.Rgb, 8, (y, r) => r.Fill((byte)y)), Outcome.Vector);
        yield return Bytes("png 4000x1", PngWriter.Encode(4000, 1, PngWriter.Rgb, 8, (_, r) => Fill(r, 3)), Outcome.Vector);

        // Every colour layout PNG has, and the odd ones in testdata.
        yield return Bytes("png palette 256 colours", PngWriter.Encode(64, 48, PngWriter.Palette, 8, (y, r) => Fill(r, y), palette: Palette(256)), Outcome.Vector);
        yield return Bytes("png palette with tRNS alpha", PngWriter.Encode(64, 48, PngWriter.Palette, 8, (y, r) => Fill(r, y), palette: Palette(256), transparency: [.. Enumerable.Range(0, 256).Select(i => (byte)i)]), Outcome.Vector);
        yield return Bytes("png palette 4-bit", PngWriter.Encode(33, 17, PngWriter.Palette, 4, (y, r) => Fill(r, y), palette: Palette(16)), Outcome.Vector);
        yield return Bytes("png grey 2-bit", PngWriter.Encode(31, 9, PngWriter.Grey, 2, (y, r) => Fill(r, y)), Outcome.Vector);
        yield return Bytes("png grey 16-bit", PngWriter.Encode(40, 30, PngWriter.Grey, 16, (y, r) => Fill(r, y)), Outcome.Vector);
        yield return Bytes("png grey+alpha 8-bit", PngWriter.Encode(40, 30, PngWriter.GreyAlpha, 8, (y, r) => Fill(r, y)), Outcome.Vector);
        yield return Bytes("png grey+alpha 16-bit", PngWriter.Encode(40, 30, PngWriter.GreyAlpha, 16, (y, r) => Fill(r, y)), Outcome.Vector);
        yield return Bytes("png rgba 16-bit", PngWriter.Encode(40, 30, PngWriter.Rgba, 16, (y, r) => Fill(r, y)), Outcome.Vector);
        yield return Bytes("png palette index beyond PLTE", PngWriter.Encode(16, 16, PngWriter.Palette, 8, (_, r) => r.Fill(250), palette: Palette(4)), Outcome.VectorOr(Corrupt));
        yield return Bytes("png palette without PLTE", PngWriter.Encode(16, 16, PngWriter.Palette, 8, (_, r) => r.Fill(0)), Outcome.Error(Corrupt));
        yield return Bytes("png invalid depth 7", PngWriter.Encode(16, 16, PngWriter.Rgb, 7, (_, _) => { }), Outcome.Error(Corrupt));
        foreach (string file in new[] { "coffee_cmyk.jpg", "chelsea_16bit.png", "camera_grayscale.jpg", "camera_grayscale.png", "skimage_logo_rgba.png", "tiny_animated.gif", "coffee_exif_orientation6.jpg" })
        {
            yield return Bytes(file, Read(file), Outcome.Vector);
        }

        yield return Bytes("tiff rgb 8-bit", TiffWriter.Encode(8, 6, 3, 8, 2, Ramp(8 * 6 * 3)), Outcome.Vector);
        yield return Bytes("tiff rgb 16-bit", TiffWriter.Encode(8, 6, 3, 16, 2, Ramp(8 * 6 * 6)), Outcome.Vector);
        yield return Bytes("tiff cmyk", TiffWriter.Encode(8, 6, 4, 8, 5, Ramp(8 * 6 * 4)), Outcome.Vector);
        yield return Bytes("tiff grey", TiffWriter.Encode(8, 6, 1, 8, 1, Ramp(8 * 6)), Outcome.Vector);
        yield return Bytes("tiff strip beyond the file", TiffWriter.Encode(8, 6, 3, 8, 2, Ramp(144), new Dictionary<ushort, long> { [273] = 1_000_000 }), Outcome.Error(Corrupt));
        yield return Bytes("tiff strip shorter than the image", TiffWriter.Encode(64, 64, 3, 8, 2, Ramp(100)), Outcome.Error(Corrupt));
        yield return Bytes("tiff without width", TiffWriter.Encode(8, 6, 3, 8, 2, Ramp(144), new Dictionary<ushort, long> { [256] = -1 }), Outcome.Error(Corrupt, UnsupportedFormat));
        byte[] looped = TiffWriter.Encode(8, 6, 3, 8, 2, Ramp(144));
        yield return Bytes("tiff whose IFD is its own successor", TiffWriter.Encode(8, 6, 3, 8, 2, Ramp(144), nextIfd: TiffWriter.FirstIfd(looped)), Outcome.VectorOr(Corrupt));

        // Malformed EXIF around a good JPEG: metadata damage must not cost the picture (Pillow ignores it too).
        byte[] plain = JpegSurgery.WithoutApp1(Read("rocket_launch.jpg"));
        const ushort Orientation = 0x0112, Short = 3, Long = 4;
        (string Name, byte[][] Payloads)[] exifs =
        [
            ("orientation 9 (out of range)", [JpegSurgery.Tiff(false, 8, 1, [(Orientation, Short, 1, 9)])]),
            ("orientation 0", [JpegSurgery.Tiff(false, 8, 1, [(Orientation, Short, 1, 0)])]),
            ("orientation 65535", [JpegSurgery.Tiff(true, 8, 1, [(Orientation, Short, 1, 65535)])]),
            ("orientation as LONG array out of the segment", [JpegSurgery.Tiff(false, 8, 1, [(Orientation, Long, 1000, 0x7FFFFFF0)])]),
            ("IFD offset beyond the segment", [JpegSurgery.Tiff(false, 0xFFFFFFF0, 1, [(Orientation, Short, 1, 6)])]),
            ("65535 entries declared, 1 present", [JpegSurgery.Tiff(false, 8, 65535, [(Orientation, Short, 1, 6)])]),
            ("IFD that is its own successor", [JpegSurgery.Tiff(false, 8, 1, [(Orientation, Short, 1, 3)], nextIfd: 8)]),
            ("EXIF sub-IFD pointing at IFD0", [JpegSurgery.Tiff(false, 8, 2, [(Orientation, Short, 1, 1), (0x8769, Long, 1, 8)])]),
            ("truncated TIFF header", [[(byte)'I', (byte)'I', 42]]),
            ("not a TIFF header", ["garbage!"u8.ToArray()]),
            ("two EXIF segments that disagree", [JpegSurgery.Tiff(false, 8, 1, [(Orientation, Short, 1, 6)]), JpegSurgery.Tiff(false, 8, 1, [(Orientation, Short, 1, 8)])]),
            ("big-endian orientation 6", [JpegSurgery.Tiff(true, 8, 1, [(Orientation, Short, 1, 6)])]),
        ];
        foreach ((string name, byte[][] payloads) in exifs)
        {
            yield return Bytes($"jpeg with EXIF {name}", JpegSurgery.WithExif(plain, payloads), Outcome.Vector);
        }

        byte[] chelsea = Read("cat_chelsea.png");
        List<(string Type, byte[] Bytes)> chunks = PngWriter.Chunks(chelsea);
        yield return Bytes("png with garbage eXIf chunk", Splice(chelsea, chunks, "eXIf", "MM\0*garbage-exif-data"u8.ToArray()), Outcome.VectorOr(Corrupt));
        yield return Bytes("png with eXIf orientation 7", Splice(chelsea, chunks, "eXIf", JpegSurgery.Tiff(false, 8, 1, [(Orientation, Short, 1, 7)])), Outcome.Vector);

        // Carriers that fail: missing files, folders, streams that throw, never end or are closed.
        yield return new HostileItem("missing file", () => EmbeddingInput.FromImageFile(Path.Combine(TestAssets.ImagesDir, "no-such-file.jpg"), "missing file"), Outcome.Error(Unreadable));
        yield return new HostileItem("folder as a file", () => EmbeddingInput.FromImageFile(TestAssets.ImagesDir, "folder as a file"), Outcome.Error(Unreadable));
        yield return new HostileItem("stream that throws", () => EmbeddingInput.FromImage(new FailingStream(Read("rocket_launch.jpg"), failAfter: 1000), "stream that throws"), Outcome.Error(Unreadable));
        yield return new HostileItem("stream that never ends", () => EmbeddingInput.FromImage(new EndlessStream(Read("cat_chelsea.png")), "stream that never ends"), Outcome.Error(TooLarge));
        yield return new HostileItem("disposed stream", () =>
        {
            var stream = new MemoryStream(Read("rocket_launch.jpg"));
            stream.Dispose();
            return EmbeddingInput.FromImage(stream, "disposed stream");
        }, Outcome.Error(Unreadable));
        yield return new HostileItem("stream at its end", () =>
        {
            var stream = new MemoryStream(Read("rocket_launch.jpg"));
            stream.Seek(0, SeekOrigin.End);
            return EmbeddingInput.FromImage(stream, "stream at its end");
        }, Outcome.Error(Empty));
    }

    private static HostileItem Bytes(string name, byte[] data, Outcome expected) =>
        new(name, () => EmbeddingInput.FromImage(data, name), expected);

    private static void Fill(Span<byte> row, int y)
    {
        for (int x = 0; x < row.Length; x++)
        {
            row[x] = (byte)((x * 7) + (y * 13));
        }
    }

    private static byte[] Ramp(int length) => [.. Enumerable.Range(0, length).Select(i => (byte)(i * 3))];

    private static byte[] Palette(int colours) => [.. Enumerable.Range(0, colours * 3).Select(i => (byte)(i * 37))];

    private static byte[] Deflate(byte[] raw)
    {
        using var output = new MemoryStream();
        using (var z = new System.IO.Compression.ZLibStream(output, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true))
        {
            z.Write(raw);
        }

        return output.ToArray();
    }

    /// <summary>Inserts a chunk after IHDR (re-using the writer for a correct CRC).</summary>
    private static byte[] Splice(byte[] png, List<(string Type, byte[] Bytes)> chunks, string type, byte[] data)
    {
        byte[] extra = PngWriter.Chunks(PngWriter.Assemble(1, 1, PngWriter.Grey, 8, [], extraChunks: [(type, data)])).First(c => c.Type == type).Bytes;
        using var output = new MemoryStream();
        output.Write(png, 0, 8);
        foreach ((string t, byte[] bytes) in chunks)
        {
            output.Write(bytes);
            if (t == "IHDR")
            {
                output.Write(extra);
            }
        }

        return output.ToArray();
    }

    private static byte[] HugeGif() =>
    [
        .. "GIF89a"u8, 0xFF, 0xFF, 0xFF, 0xFF, 0x80, 0x00, 0x00,
        0, 0, 0, 255, 255, 255,
        0x2C, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0x00,
        0x02, 0x02, 0x44, 0x01, 0x00,
        0x3B,
    ];

    private static byte[] HugeWebP(Random random)
    {
        // VP8L: signature 0x2F, then 14 bits width-1, 14 bits height-1, 1 bit alpha, 3 bits version.
        byte[] payload = new byte[512];
        random.NextBytes(payload);
        payload[0] = 0x2F;
        uint bits = 16383u | (16383u << 14);
        BinaryPrimitives.WriteUInt32LittleEndian(payload.AsSpan(1), bits);
        byte[] riff = [.. "RIFF"u8, 0, 0, 0, 0, .. "WEBP"u8, .. "VP8L"u8, 0, 0, 0, 0, .. payload];
        BinaryPrimitives.WriteInt32LittleEndian(riff.AsSpan(4), riff.Length - 8);
        BinaryPrimitives.WriteInt32LittleEndian(riff.AsSpan(16), payload.Length);
        return riff;
    }
}
