using System.Numerics.Tensors;

namespace Embeddings.Local;

/// <summary>Vector helpers for the post-processing every provider result goes through.</summary>
internal static class VectorMath
{
    /// <summary>Divides by the L2 norm in place, as <c>torch.nn.functional.normalize</c> does (norm clamped at 1e-12).</summary>
    public static void Normalize(Span<float> vector)
    {
        float norm = TensorPrimitives.Norm(vector);
        TensorPrimitives.Divide(vector, MathF.Max(norm, 1e-12f), vector);
    }

    /// <summary>Keeps the first <paramref name="dimensions"/> values (Matryoshka truncation) and optionally
    /// re-normalizes them.</summary>
    /// <returns>A new array.</returns>
    public static float[] Finish(ReadOnlySpan<float> vector, int dimensions, bool normalize)
    {
        float[] result = vector[..dimensions].ToArray();
        if (normalize)
        {
            Normalize(result);
        }

        return result;
    }

    /// <summary>Cosine similarity of two vectors of equal length (0 when either is zero).</summary>
    public static float Cosine(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        float nx = TensorPrimitives.Norm(x);
        float ny = TensorPrimitives.Norm(y);
        return nx == 0 || ny == 0 ? 0 : TensorPrimitives.Dot(x, y) / (nx * ny);
    }
}
