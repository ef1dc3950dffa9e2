using System.Buffers;

namespace Embeddings.AspNetCore;

/// <summary>A request body read into a pooled buffer; return it with <see cref="Dispose"/>.</summary>
internal sealed class PooledBody : IDisposable
{
    private byte[]? _buffer;

    public PooledBody(byte[] buffer, int length)
    {
        _buffer = buffer;
        Length = length;
    }

    /// <summary>Gets the number of bytes read.</summary>
    public int Length { get; }

    /// <summary>Gets the body.</summary>
    public ReadOnlyMemory<byte> Memory => (_buffer ?? throw new ObjectDisposedException(nameof(PooledBody))).AsMemory(0, Length);

    /// <summary>Gets the body.</summary>
    public ReadOnlySpan<byte> Span => Memory.Span;

    /// <summary>Opens a read-only stream over the body.</summary>
    public MemoryStream AsStream() => new(_buffer ?? throw new ObjectDisposedException(nameof(PooledBody)), 0, Length, writable: false);

    public void Dispose()
    {
        byte[]? buffer = Interlocked.Exchange(ref _buffer, null);
        if (buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
