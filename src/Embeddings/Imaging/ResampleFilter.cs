namespace Embeddings.Imaging;

/// <summary>
/// Pillow's resampling kernels (libImaging/Resample.c), evaluated in double precision with the same expressions, so
/// the fixed-point coefficients derived from them are bit-identical.
/// </summary>
internal static class ResampleFilter
{
    /// <summary>Gets the kernel's support (its half-width at scale 1).</summary>
    /// <param name="filter">The filter.</param>
    /// <returns>The support.</returns>
    internal static double Support(ImageResampling filter) => filter switch
    {
        ImageResampling.Box => 0.5,
        ImageResampling.Bilinear => 1.0,
        ImageResampling.Hamming => 1.0,
        ImageResampling.Bicubic => 2.0,
        ImageResampling.Lanczos => 3.0,
        _ => throw new ArgumentOutOfRangeException(nameof(filter), filter, "Nearest neighbour has no convolution kernel."),
    };

    /// <summary>Evaluates the kernel.</summary>
    /// <param name="filter">The filter.</param>
    /// <param name="x">The distance from the sample centre, in source pixels divided by the filter scale.</param>
    /// <returns>The weight.</returns>
    internal static double Evaluate(ImageResampling filter, double x) => filter switch
    {
        ImageResampling.Box => x > -0.5 && x <= 0.5 ? 1.0 : 0.0,
        ImageResampling.Bilinear => Bilinear(x),
        ImageResampling.Hamming => Hamming(x),
        ImageResampling.Bicubic => Bicubic(x),
        ImageResampling.Lanczos => -3.0 <= x && x < 3.0 ? Sinc(x) * Sinc(x / 3) : 0.0,
        _ => throw new ArgumentOutOfRangeException(nameof(filter), filter, "Nearest neighbour has no convolution kernel."),
    };

    private static double Bilinear(double x)
    {
        if (x < 0.0)
        {
            x = -x;
        }

        return x < 1.0 ? 1.0 - x : 0.0;
    }

    private static double Hamming(double x)
    {
        if (x < 0.0)
        {
            x = -x;
        }

        if (x == 0.0)
        {
            return 1.0;
        }

        if (x >= 1.0)
        {
            return 0.0;
        }

        x *= Math.PI;
        // Pillow writes these constants as floats (0.54f, 0.46f), promoted to double.
        return Math.Sin(x) / x * ((double)0.54f + ((double)0.46f * Math.Cos(x)));
    }

    private static double Bicubic(double x)
    {
        const double a = -0.5;
        if (x < 0.0)
        {
            x = -x;
        }

        if (x < 1.0)
        {
            return ((((a + 2.0) * x) - (a + 3.0)) * x * x) + 1;
        }

        if (x < 2.0)
        {
            return ((((((x - 5) * x) + 8) * x) - 4) * a);
        }

        return 0.0;
    }

    private static double Sinc(double x)
    {
        if (x == 0.0)
        {
            return 1.0;
        }

        x *= Math.PI;
        return Math.Sin(x) / x;
    }
}
