namespace Embeddings.Reliability.HostileInput;

/// <summary>A non-seekable stream that repeats its bytes forever (a client that never stops sending).</summary>
internal sealed class EndlessStream(byte[] data) : ReadOnlyUnseekableStream
{
    private long _position;

    public override int Read(byte[] buffer, int offset, int count)
    {
        for (int i = 0; i < count; i++)
        {
            buffer[offset + i] = data[(int)(_position++ % data.Length)];
        }

        return count;
    }
}
