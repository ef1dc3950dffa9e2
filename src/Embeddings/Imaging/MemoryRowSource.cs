namespace Embeddings.Imaging;

/// <summary>Rows of an image already in memory: every call returns a slice, nothing is copied.</summary>
internal ref struct MemoryRowSource : IRgbRowSource
{
    private readonly ReadOnlySpan<byte> _pixels;
    private int _next;

    /// <summary>Wraps decoded pixels.</summary>
    /// <param name="pixels">Rows of <paramref name="width"/> * 3 bytes; bytes after the last row may be read by vector code.</param>
    /// <param name="width">The width.</param>
    /// <param name="height">The height.</param>
    public MemoryRowSource(ReadOnlySpan<byte> pixels, int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pixels.Length, width * height * 3, nameof(pixels));
        _pixels = pixels;
        Width = width;
        Height = height;
    }

    /// <inheritdoc/>
    public int Width { get; }

    /// <inheritdoc/>
    public int Height { get; }

    /// <inheritdoc/>
    public readonly int StripRows => Height;

    /// <inheritdoc/>
    public ReadOnlySpan<byte> NextRows(int rows)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(rows, Height - _next);
        ReadOnlySpan<byte> span = _pixels[(_next * Width * 3)..];
        _next += rows;
        return span;
    }
}
