using System.Buffers;

namespace Embeddings.Imaging;

/// <summary>
/// The fixed-point convolution coefficients of one resampling axis, computed exactly as Pillow's
/// <c>precompute_coeffs</c> + <c>normalize_coeffs_8bpc</c> do: the filter support grows with the downscale factor
/// (antialiasing), each output's window is rounded to whole source pixels, weights are normalised in double precision
/// and then rounded half away from zero to 22 fractional bits. Arrays come from the shared pool; dispose to return them.
/// </summary>
internal sealed class ResampleKernel : IDisposable
{
    /// <summary>The fixed-point precision of the coefficients (Pillow's <c>PRECISION_BITS</c>).</summary>
    internal const int PrecisionBits = 32 - 8 - 2;

    private ResampleKernel(int outSize, int kernelSize, int[] bounds, int[] coefficients)
    {
        OutSize = outSize;
        KernelSize = kernelSize;
        Bounds = bounds;
        Coefficients = coefficients;
    }

    /// <summary>Gets the number of output samples.</summary>
    internal int OutSize { get; }

    /// <summary>Gets the stride of <see cref="Coefficients"/> per output sample (Pillow's <c>ksize</c>).</summary>
    internal int KernelSize { get; }

    /// <summary>Gets, per output sample, the first source sample and the number of source samples used.</summary>
    internal int[] Bounds { get; }

    /// <summary>Gets the coefficients, <see cref="KernelSize"/> per output sample, zero beyond each window.</summary>
    internal int[] Coefficients { get; }

    /// <summary>Computes the kernel for resampling <paramref name="inSize"/> samples (the region
    /// [<paramref name="in0"/>, <paramref name="in1"/>)) to <paramref name="outSize"/> samples.</summary>
    /// <param name="inSize">The number of source samples.</param>
    /// <param name="in0">The start of the source region (Pillow's <c>box</c>, in single precision as Pillow keeps it).</param>
    /// <param name="in1">The end of the source region.</param>
    /// <param name="outSize">The number of output samples.</param>
    /// <param name="filter">The filter.</param>
    /// <returns>The kernel.</returns>
    internal static ResampleKernel Create(int inSize, float in0, float in1, int outSize, ImageResampling filter)
    {
        double scale = (double)(in1 - in0) / outSize;
        double filterScale = scale < 1.0 ? 1.0 : scale;
        double support = ResampleFilter.Support(filter) * filterScale;
        int kernelSize = ((int)Math.Ceiling(support) * 2) + 1;

        int[] bounds = ArrayPool<int>.Shared.Rent(outSize * 2);
        int[] coefficients = ArrayPool<int>.Shared.Rent(outSize * kernelSize);
        double[] weights = ArrayPool<double>.Shared.Rent(kernelSize);
        try
        {
            for (int xx = 0; xx < outSize; xx++)
            {
                double center = in0 + ((xx + 0.5) * scale);
                double ww = 0.0;
                double ss = 1.0 / filterScale;

                // (int) truncates towards zero, as the C cast does; "+ 0.5" rounds the window edges.
                int xmin = (int)(center - support + 0.5);
                if (xmin < 0)
                {
                    xmin = 0;
                }

                int xmax = (int)(center + support + 0.5);
                if (xmax > inSize)
                {
                    xmax = inSize;
                }

                xmax -= xmin;
                for (int x = 0; x < xmax; x++)
                {
                    double w = ResampleFilter.Evaluate(filter, (x + xmin - center + 0.5) * ss);
                    weights[x] = w;
                    ww += w;
                }

                Span<int> k = coefficients.AsSpan(xx * kernelSize, kernelSize);
                for (int x = 0; x < xmax; x++)
                {
                    double w = ww != 0.0 ? weights[x] / ww : weights[x];
                    k[x] = w < 0
                        ? (int)(-0.5 + (w * (1 << PrecisionBits)))
                        : (int)(0.5 + (w * (1 << PrecisionBits)));
                }

                k[xmax..].Clear();
                bounds[xx * 2] = xmin;
                bounds[(xx * 2) + 1] = xmax;
            }
        }
        catch
        {
            ArrayPool<int>.Shared.Return(bounds);
            ArrayPool<int>.Shared.Return(coefficients);
            throw;
        }
        finally
        {
            ArrayPool<double>.Shared.Return(weights);
        }

        return new ResampleKernel(outSize, kernelSize, bounds, coefficients);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        ArrayPool<int>.Shared.Return(Bounds);
        ArrayPool<int>.Shared.Return(Coefficients);
    }
}
