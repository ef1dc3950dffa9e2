using System.Buffers;

namespace Embeddings.Imaging;

/// <summary>
/// A horizontal <see cref="ResampleKernel"/> plus its coefficients expanded for the vector passes. AVX2 takes two
/// source pixels per vector: <c>[k0 k0 k0 k1 k1 k1 0 0]</c> matches the bytes <c>R0 G0 B0 R1 G1 B1 (R2 G2)</c> that
/// one 8-byte load widens to eight 32-bit lanes. The 128-bit pass takes one: <c>[k0 k0 k0 0]</c> against
/// <c>R0 G0 B0 (R1)</c>. Owns the kernel; dispose to return the pooled arrays.
/// </summary>
internal sealed class HorizontalKernel : IDisposable
{
    /// <summary>Expands a kernel.</summary>
    /// <param name="kernel">The kernel, now owned.</param>
    /// <param name="code">The pass the coefficients are prepared for.</param>
    public HorizontalKernel(ResampleKernel kernel, ResampleCode code)
    {
        Kernel = kernel;
        Code = code;
        if (code is not (ResampleCode.Avx2 or ResampleCode.Vector128))
        {
            return;
        }

        bool pairs = code == ResampleCode.Avx2;
        int lanes = pairs ? 8 : 4;
        VectorsPerPixel = pairs ? (kernel.KernelSize + 1) / 2 : kernel.KernelSize;
        int[] expanded = ArrayPool<int>.Shared.Rent(kernel.OutSize * VectorsPerPixel * lanes);
        for (int xx = 0; xx < kernel.OutSize; xx++)
        {
            int xmin = kernel.Bounds[xx * 2];
            int n = kernel.Bounds[(xx * 2) + 1];

            // AVX2's last load starts at pixel xmin + 2 * (pairs - 1) and reads 8 bytes; the 128-bit pass's last one
            // at pixel xmin + n - 1, reading 4.
            int readEnd = pairs ? ((xmin + (2 * ((n + 1) / 2)) - 2) * 3) + 8 : ((xmin + n - 1) * 3) + 4;
            MaxRead = Math.Max(MaxRead, readEnd);
            Span<int> e = expanded.AsSpan(xx * VectorsPerPixel * lanes, VectorsPerPixel * lanes);
            e.Clear();
            for (int t = 0; t < n; t++)
            {
                int c = kernel.Coefficients[(xx * kernel.KernelSize) + t];
                int lane = pairs ? ((t / 2) * 8) + ((t % 2) * 3) : t * 4;
                e[lane] = c;
                e[lane + 1] = c;
                e[lane + 2] = c;
            }
        }

        Expanded = expanded;
    }

    /// <summary>Gets the kernel.</summary>
    public ResampleKernel Kernel { get; }

    /// <summary>Gets the pass the coefficients are prepared for.</summary>
    public ResampleCode Code { get; }

    /// <summary>Gets the expanded coefficients, <see cref="VectorsPerPixel"/> vectors per output pixel, or
    /// <see langword="null"/> for the scalar pass.</summary>
    public int[]? Expanded { get; }

    /// <summary>Gets the number of coefficient vectors per output pixel.</summary>
    public int VectorsPerPixel { get; }

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
