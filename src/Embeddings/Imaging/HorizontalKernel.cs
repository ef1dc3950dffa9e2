using System.Buffers;

namespace Embeddings.Imaging;

/// <summary>
/// A horizontal <see cref="ResampleKernel"/> plus, for the AVX2 pass, its coefficients expanded for two source
/// pixels per vector: <c>[k0 k0 k0 k1 k1 k1 0 0]</c> matches the bytes <c>R0 G0 B0 R1 G1 B1 (R2 G2)</c> that one
/// 8-byte load widens to eight 32-bit lanes. Owns the kernel; dispose to return the pooled arrays.
/// </summary>
internal sealed class HorizontalKernel : IDisposable
{
    /// <summary>Expands a kernel.</summary>
    /// <param name="kernel">The kernel, now owned.</param>
    /// <param name="vectorized">Whether to prepare the expanded coefficients.</param>
    public HorizontalKernel(ResampleKernel kernel, bool vectorized)
    {
        Kernel = kernel;
        if (!vectorized)
        {
            return;
        }

        MaxPairs = (kernel.KernelSize + 1) / 2;
        int[] expanded = ArrayPool<int>.Shared.Rent(kernel.OutSize * MaxPairs * 8);
        for (int xx = 0; xx < kernel.OutSize; xx++)
        {
            int xmin = kernel.Bounds[xx * 2];
            int n = kernel.Bounds[(xx * 2) + 1];
            int pairs = (n + 1) / 2;

            // The last load of this output starts at pixel xmin + 2 * (pairs - 1) and reads 8 bytes.
            MaxRead = Math.Max(MaxRead, ((xmin + (2 * pairs) - 2) * 3) + 8);
            Span<int> e = expanded.AsSpan(xx * MaxPairs * 8, MaxPairs * 8);
            e.Clear();
            for (int t = 0; t < n; t++)
            {
                int c = kernel.Coefficients[(xx * kernel.KernelSize) + t];
                int lane = ((t / 2) * 8) + ((t % 2) * 3);
                e[lane] = c;
                e[lane + 1] = c;
                e[lane + 2] = c;
            }
        }

        Expanded = expanded;
    }

    /// <summary>Gets the kernel.</summary>
    public ResampleKernel Kernel { get; }

    /// <summary>Gets the expanded coefficients, <see cref="MaxPairs"/> * 8 per output pixel, or <see langword="null"/>
    /// for the scalar pass.</summary>
    public int[]? Expanded { get; }

    /// <summary>Gets the number of coefficient vectors per output pixel.</summary>
    public int MaxPairs { get; }

    /// <summary>Gets how many bytes past the start of a row the vector pass may read.</summary>
    public int MaxRead { get; }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (Expanded is not null)
        {
            ArrayPool<int>.Shared.Return(Expanded);
        }

        Kernel.Dispose();
    }
}
