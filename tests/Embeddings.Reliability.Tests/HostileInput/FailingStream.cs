namespace Embeddings.Reliability.HostileInput;

/// <summary>A non-seekable stream that serves some bytes and then throws an <see cref="IOException"/> (a dropped upload).</summary>
internal sealed class FailingStream(byte[] data, int failAfter) : ReadOnlyUnseekableStream
{
    private int _position;

    public override int Read(byte[] buffer, int offset, int count)
    {
        if (_position >= failAfter)
        {
            throw new IOException("The connection was reset.");
        }

        int n = Math.Min(Math.Min(count, failAfter - _position), data.Length - _position);
        Array.Copy(data, _position, buffer, offset, n);
        _position += n;
        return n;
    }
}
