namespace Embeddings;

/// <summary>
/// A decoded image: 8-bit RGB pixels, interleaved, row-major, with no padding between rows.
/// </summary>
/// <remarks>
/// The pixel memory is not copied; callers must not change it while an embedding call that uses it is running.
/// </remarks>
public sealed class RgbImage
{
    /// <summary>Creates an image over existing pixel memory.</summary>
    /// <param name="width">Width in pixels.</param>
    /// <param name="height">Height in pixels.</param>
    /// <param name="pixels">Exactly <c>width * height * 3</c> bytes, R, G, B per pixel.</param>
    /// <exception cref="ArgumentOutOfRangeException">A dimension is not positive.</exception>
    /// <exception cref="ArgumentException">The buffer length does not match the dimensions.</exception>
    public RgbImage(int width, int height, ReadOnlyMemory<byte> pixels)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        if ((long)width * height * 3 != pixels.Length)
        {
            throw new ArgumentException(
                $"An RGB image of {width}x{height} needs {(long)width * height * 3} bytes, but {pixels.Length} were given.",
                nameof(pixels));
        }

        Width = width;
        Height = height;
        Pixels = pixels;
    }

    /// <summary>Gets the width in pixels.</summary>
    public int Width { get; }

    /// <summary>Gets the height in pixels.</summary>
    public int Height { get; }

    /// <summary>Gets the interleaved RGB bytes (<c>Width * Height * 3</c>).</summary>
    public ReadOnlyMemory<byte> Pixels { get; }
}
