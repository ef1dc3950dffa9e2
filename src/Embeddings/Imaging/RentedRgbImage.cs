using System.Buffers;

namespace Embeddings.Imaging;

/// <summary>
/// Decoded, upright 8-bit RGB pixels in a pooled buffer (or in caller memory for <see cref="RgbImage"/> inputs).
/// The buffer may extend past the pixels, which lets vector code read a few bytes beyond the last row.
/// </summary>
internal readonly struct RentedRgbImage : IDisposable
{
    private readonly byte[]? _rented;
    private readonly ReadOnlyMemory<byte> _memory;

    private RentedRgbImage(byte[]? rented, ReadOnlyMemory<byte> memory, int width, int height)
    {
        _rented = rented;
        _memory = memory;
        Width = width;
        Height = height;
    }

    /// <summary>Gets the width in pixels.</summary>
    internal int Width { get; }

    /// <summary>Gets the height in pixels.</summary>
    internal int Height { get; }

    /// <summary>Gets the pixels and whatever readable bytes follow them.</summary>
    internal ReadOnlySpan<byte> Readable => _memory.Span;

    /// <summary>Gets exactly the pixels, <see cref="Width"/> * <see cref="Height"/> * 3 bytes.</summary>
    internal ReadOnlySpan<byte> Pixels => _memory.Span[..(Width * Height * 3)];

    /// <summary>Wraps a pooled buffer; disposing returns it to <see cref="ArrayPool{T}.Shared"/>.</summary>
    /// <param name="rented">The buffer.</param>
    /// <param name="width">The width.</param>
    /// <param name="height">The height.</param>
    /// <returns>The image.</returns>
    internal static RentedRgbImage Rented(byte[] rented, int width, int height) => new(rented, rented, width, height);

    /// <summary>Wraps caller-owned pixels, which are not returned anywhere.</summary>
    /// <param name="image">The image.</param>
    /// <returns>The image.</returns>
    internal static RentedRgbImage Borrowed(RgbImage image) => new(null, image.Pixels, image.Width, image.Height);

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_rented is not null)
        {
            ArrayPool<byte>.Shared.Return(_rented);
        }
    }
}
