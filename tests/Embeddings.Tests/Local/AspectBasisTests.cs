namespace Embeddings.Local;

public sealed class AspectBasisTests
{
    private static float[] RandomVector(Random random, int size) => [.. Enumerable.Range(0, size).Select(_ => (float)((random.NextDouble() * 2) - 1))];

    [Fact]
    public void Project_VectorInTheSpan_ReturnsItNormalized()
    {
        var random = new Random(1);
        float[][] labels = [.. Enumerable.Range(0, 6).Select(_ => RandomVector(random, 64))];
        AspectBasis basis = AspectBasis.Create(labels);
        float[] inSpan = new float[64];
        double[] weights = [0.7, -1.2, 0.3, 2.0, -0.4, 0.9];
        for (int j = 0; j < labels.Length; j++)
        {
            for (int i = 0; i < 64; i++)
            {
                inSpan[i] += (float)(weights[j] * labels[j][i]);
            }
        }

        float[] projected = basis.Project(inSpan);

        Assert.Equal(6, basis.Rank);
        Assert.True(VectorAssert.Cosine(inSpan, projected) >= 0.999999, "a vector already in the span comes back unchanged (up to scale)");
        Assert.Equal(1.0, VectorAssert.Norm(projected), 5);
    }

    [Fact]
    public void Project_VectorOrthogonalToTheSpan_ReturnsZeros()
    {
        float[] a = [1, 0, 0, 0];
        float[] b = [0, 1, 0, 0];
        AspectBasis basis = AspectBasis.Create([a, b]);

        float[] projected = basis.Project([0, 0, 3, -4]);

        Assert.All(projected, v => Assert.Equal(0f, v));
    }

    [Fact]
    public void Project_IsTheLeastSquaresProjection()
    {
        // Span of e0 and (e0 + e1) is the e0-e1 plane: (3, 4, 12) projects to (3, 4, 0), normalized (0.6, 0.8, 0).
        AspectBasis basis = AspectBasis.Create([[1, 0, 0], [1, 1, 0]]);

        float[] projected = basis.Project([3, 4, 12]);

        Assert.Equal(0.6f, projected[0], 6);
        Assert.Equal(0.8f, projected[1], 6);
        Assert.Equal(0f, projected[2], 6);
    }

    [Fact]
    public void Create_DependentLabels_AddNoDirection()
    {
        float[] a = [1, 2, 3];
        float[] b = [2, 4, 6];
        float[] c = [0, 0, 0];

        AspectBasis basis = AspectBasis.Create([a, b, c, [0, 1, 0]]);

        Assert.Equal(2, basis.Rank);
    }
}
