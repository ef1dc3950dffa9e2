using Embeddings.Imaging;

namespace Embeddings.Core;

public sealed class BoundedStreamReaderTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(100_000)]
    public async Task ReadAsync_UnseekableWithinLimit_ReadsEveryByte(int size)
    {
        byte[] data = Bytes(size);

        (byte[] buffer, int length) = await BoundedStreamReader.ReadAsync(new UnseekableStream(data), 100_000, Ct);

        Assert.Equal(size, length);
        Assert.Equal(data, buffer.AsSpan(0, length).ToArray());
    }

    [Fact]
    public async Task ReadAsync_UnseekableOverLimit_StopsOneBytePastIt()
    {
        var stream = new UnseekableStream(Bytes(300_000));

        (_, int length) = await BoundedStreamReader.ReadAsync(stream, 70_000, Ct);

        Assert.Equal(70_001, length);
        Assert.Equal(70_001, stream.BytesRead);
    }

    [Fact]
    public async Task ReadAsync_SeekableFromItsPosition_ReadsTheRestInOneBuffer()
    {
        byte[] data = Bytes(5_000);
        using var stream = new MemoryStream(data) { Position = 1_000 };

        (byte[] buffer, int length) = await BoundedStreamReader.ReadAsync(stream, 10_000, Ct);

        Assert.Equal(4_000, length);
        Assert.Equal(4_001, buffer.Length);
        Assert.Equal(data[1_000..], buffer.AsSpan(0, length).ToArray());
    }

    [Fact]
    public async Task ReadAsync_UnboundedLimit_ReadsALongUnseekableStreamWhole()
    {
        // A limit of long.MaxValue once overflowed the growth computation of the remote image loader.
        byte[] data = Bytes(200_000);

        (byte[] buffer, int length) = await BoundedStreamReader.ReadAsync(new UnseekableStream(data), long.MaxValue, Ct);

        Assert.Equal(data, buffer.AsSpan(0, length).ToArray());
    }

    private static byte[] Bytes(int size)
    {
        byte[] data = new byte[size];
        new Random(size).NextBytes(data);
        return data;
    }
}
