using System.Buffers.Binary;

namespace Embeddings.Imaging;

public sealed class ExifOrientationTests
{
    [Theory]
    [InlineData(true, 3, 1, 6, 6)]     // SHORT, one value
    [InlineData(false, 3, 1, 8, 8)]    // big-endian
    [InlineData(true, 4, 1, 3, 3)]     // LONG
    [InlineData(true, 3, 2, 6, 1)]     // two values: Pillow gets a tuple, which transposes nothing
    [InlineData(true, 3, 1, 9, 1)]     // out of range
    [InlineData(true, 3, 1, 0, 1)]
    public void Read_OrientationEntry_FollowsPillowsRules(bool littleEndian, ushort type, uint count, ushort value, int expected)
    {
        byte[] exif = Exif(littleEndian, type, count, value);

        Assert.Equal(expected, ExifOrientation.Read(exif));
        Assert.Equal(expected, ExifOrientation.Read([.. "Exif\0\0"u8, .. exif]));
    }

    [Theory]
    [InlineData(new byte[0])]
    [InlineData(new byte[] { (byte)'I', (byte)'I', 42, 0 })]
    [InlineData(new byte[] { (byte)'I', (byte)'I', 42, 0, 0xFF, 0xFF, 0xFF, 0x7F })]
    [InlineData(new byte[] { (byte)'X', (byte)'X', 42, 0, 8, 0, 0, 0, 1, 0 })]
    public void Read_MalformedExif_ReturnsOne(byte[] exif)
    {
        Assert.Equal(1, ExifOrientation.Read(exif));
    }

    [Theory]
    [InlineData("<x:xmpmeta><rdf:Description tiff:Orientation=\"6\"/></x:xmpmeta>", 6)]
    [InlineData("<tiff:Orientation>8</tiff:Orientation>", 8)]
    [InlineData("<tiff:Orientation>9</tiff:Orientation>", 1)]
    [InlineData("<tiff:OrientationX>6</tiff:OrientationX>", 1)]
    [InlineData("no orientation here", 1)]
    public void ReadXmp_Packet_FindsPillowsPattern(string xmp, int expected)
    {
        Assert.Equal(expected, ExifOrientation.ReadXmp(System.Text.Encoding.UTF8.GetBytes(xmp)));
    }

    [Theory]
    // A 3x2 image with pixel values 1..6 (row-major); after each orientation, the values read row by row.
    [InlineData(2, 3, 2, new byte[] { 3, 2, 1, 6, 5, 4 })]
    [InlineData(3, 3, 2, new byte[] { 6, 5, 4, 3, 2, 1 })]
    [InlineData(4, 3, 2, new byte[] { 4, 5, 6, 1, 2, 3 })]
    [InlineData(5, 2, 3, new byte[] { 1, 4, 2, 5, 3, 6 })]
    [InlineData(6, 2, 3, new byte[] { 4, 1, 5, 2, 6, 3 })]
    [InlineData(7, 2, 3, new byte[] { 6, 3, 5, 2, 4, 1 })]
    [InlineData(8, 2, 3, new byte[] { 3, 6, 2, 5, 1, 4 })]
    public void Apply_Orientation_TransposesLikeExifSays(int orientation, int width, int height, byte[] expected)
    {
        byte[] source = [.. new byte[] { 1, 2, 3, 4, 5, 6 }.SelectMany(v => new[] { v, v, v })];
        byte[] destination = new byte[source.Length];

        ExifOrientation.Apply(orientation, source, 3, 2, destination);

        Assert.Equal((width, height), ExifOrientation.UprightSize(orientation, 3, 2));
        Assert.Equal(expected, destination.Where((_, i) => i % 3 == 0).ToArray());
    }

    private static byte[] Exif(bool little, ushort type, uint count, ushort value)
    {
        byte[] data = new byte[8 + 2 + 12 + 4];
        (little ? "II"u8 : "MM"u8).CopyTo(data);
        Write16(data.AsSpan(2), 42, little);
        Write32(data.AsSpan(4), 8, little);
        Write16(data.AsSpan(8), 1, little);
        Write16(data.AsSpan(10), 0x0112, little);
        Write16(data.AsSpan(12), type, little);
        Write32(data.AsSpan(14), count, little);
        if (type == 4)
        {
            Write32(data.AsSpan(18), value, little);
        }
        else
        {
            Write16(data.AsSpan(18), value, little);
        }

        return data;
    }

    private static void Write16(Span<byte> b, ushort v, bool little)
    {
        if (little)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(b, v);
        }
        else
        {
            BinaryPrimitives.WriteUInt16BigEndian(b, v);
        }
    }

    private static void Write32(Span<byte> b, uint v, bool little)
    {
        if (little)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(b, v);
        }
        else
        {
            BinaryPrimitives.WriteUInt32BigEndian(b, v);
        }
    }
}
