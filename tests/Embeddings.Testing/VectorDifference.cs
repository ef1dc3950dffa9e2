namespace Embeddings.TestSupport;

/// <summary>Vector arithmetic the test projects compare results with (in double, so the comparison adds no error).</summary>
internal static class VectorDifference
{
    /// <summary>The largest element-wise |x - y|.</summary>
    public static double MaxAbs(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        if (x.Length != y.Length)
        {
            throw new ArgumentException($"The vectors differ in length: {x.Length} and {y.Length}.", nameof(y));
        }

        double max = 0;
        for (int i = 0; i < x.Length; i++)
        {
            max = Math.Max(max, Math.Abs((double)x[i] - y[i]));
        }

        return max;
    }
}
