namespace Embeddings.Imaging;

/// <summary>A forward-only stream over bytes (like a network body) that can be told to fail part-way.</summary>
internal sealed class UnseekableStream(byte[] data) : Stream
{
    private int _position;

    /// <summary>Gets or sets the number of bytes after which reads throw <see cref="IOException"/>.</summary>
    public int FailAfter { get; set; } = int.MaxValue;

    /// <summary>Gets how many bytes were handed out.</summary>
    public long BytesRead => _position;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count)
    {
        if (_position >= FailAfter)
        {
            throw new IOException("The connection was reset.");
        }

        // Small reads, as a network stream gives.
        int n = Math.Min(Math.Min(count, 4096), data.Length - _position);
        Array.Copy(data, _position, buffer, offset, n);
        _position += n;
        return n;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
