namespace Embeddings.Local;

/// <summary>Vector comparisons with tolerances (float results differ slightly between runtimes and thread counts).</summary>
internal static class VectorAssert
{
    public static double Cosine(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        Assert.Equal(x.Length, y.Length);
        double dot = 0, nx = 0, ny = 0;
        for (int i = 0; i < x.Length; i++)
        {
            dot += (double)x[i] * y[i];
            nx += (double)x[i] * x[i];
            ny += (double)y[i] * y[i];
        }

        return dot / Math.Sqrt(nx * ny);
    }

    public static double MaxAbsDifference(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        Assert.Equal(x.Length, y.Length);
        return TestSupport.VectorDifference.MaxAbs(x, y);
    }

    /// <summary>Asserts the cosine and, optionally, the largest element difference.</summary>
    public static double Close(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, double minCosine, double? maxAbs, string what)
    {
        double cosine = Cosine(expected, actual);
        Assert.True(cosine >= minCosine, $"{what}: cosine {cosine:F8} < {minCosine}");
        if (maxAbs is double limit)
        {
            double diff = MaxAbsDifference(expected, actual);
            Assert.True(diff <= limit, $"{what}: max |diff| {diff:E3} > {limit:E1}");
        }

        return cosine;
    }

    public static double Norm(ReadOnlySpan<float> x)
    {
        double sum = 0;
        foreach (float v in x)
        {
            sum += (double)v * v;
        }

        return Math.Sqrt(sum);
    }
}
