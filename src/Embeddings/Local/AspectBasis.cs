using System.Numerics.Tensors;

namespace Embeddings.Local;

/// <summary>
/// An orthonormal basis of the span of an aspect's label vectors (modified Gram-Schmidt, run twice, in double
/// precision), and the projection onto that span.
/// </summary>
internal sealed class AspectBasis
{
    // A label whose vector is (nearly) a combination of the earlier ones adds no direction.
    private const double DependenceTolerance = 1e-6;

    private readonly float[][] _basis;

    private AspectBasis(float[][] basis, int dimensions)
    {
        _basis = basis;
        Dimensions = dimensions;
    }

    /// <summary>Gets the vector size.</summary>
    public int Dimensions { get; }

    /// <summary>Gets the number of independent directions (the rank of the label vectors).</summary>
    public int Rank => _basis.Length;

    /// <summary>Builds the basis.</summary>
    /// <param name="vectors">The label vectors, all of the same size.</param>
    public static AspectBasis Create(IReadOnlyList<float[]> vectors)
    {
        int dimensions = vectors[0].Length;
        var basis = new List<double[]>();
        foreach (float[] vector in vectors)
        {
            double[] v = [.. vector.Select(x => (double)x)];
            double original = Norm(v);
            if (original == 0)
            {
                continue;
            }

            for (int pass = 0; pass < 2; pass++)
            {
                foreach (double[] q in basis)
                {
                    double dot = Dot(q, v);
                    for (int i = 0; i < dimensions; i++)
                    {
                        v[i] -= dot * q[i];
                    }
                }
            }

            double norm = Norm(v);
            if (norm <= DependenceTolerance * original)
            {
                continue;
            }

            for (int i = 0; i < dimensions; i++)
            {
                v[i] /= norm;
            }

            basis.Add(v);
        }

        return new AspectBasis([.. basis.Select(q => q.Select(x => (float)x).ToArray())], dimensions);
    }

    /// <summary>Projects a vector onto the span and L2-normalizes the projection.</summary>
    /// <returns>A new array; all zeros when the vector is orthogonal to the span.</returns>
    public float[] Project(ReadOnlySpan<float> vector)
    {
        var result = new float[Dimensions];
        foreach (float[] q in _basis)
        {
            TensorPrimitives.MultiplyAdd(q, TensorPrimitives.Dot(q, vector), result, result);
        }

        float norm = TensorPrimitives.Norm(result);
        if (norm > 1e-12f)
        {
            TensorPrimitives.Divide(result, norm, result);
        }
        else
        {
            Array.Clear(result);
        }

        return result;
    }

    private static double Dot(double[] x, double[] y)
    {
        double sum = 0;
        for (int i = 0; i < x.Length; i++)
        {
            sum += x[i] * y[i];
        }

        return sum;
    }

    private static double Norm(double[] x) => Math.Sqrt(Dot(x, x));
}
