namespace Embeddings.Reliability.Support;

/// <summary>Vector checks shared by the suites.</summary>
internal static class Vectors
{
    /// <summary>Asserts every value is finite and the vector has unit length (the providers normalize by default).</summary>
    public static void AssertUnitAndFinite(ReadOnlySpan<float> vector, string what)
    {
        double sum = 0;
        foreach (float v in vector)
        {
            Assert.True(float.IsFinite(v), $"{what}: a value is not finite");
            sum += (double)v * v;
        }

        Assert.True(Math.Abs(Math.Sqrt(sum) - 1) < 1e-3, $"{what}: norm {Math.Sqrt(sum)} is not 1");
    }

    public static bool BitwiseEqual(ReadOnlySpan<float> x, ReadOnlySpan<float> y) =>
        System.Runtime.InteropServices.MemoryMarshal.AsBytes(x).SequenceEqual(System.Runtime.InteropServices.MemoryMarshal.AsBytes(y));
}
