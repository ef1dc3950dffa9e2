using Embeddings.Models;

namespace Embeddings.Local;

/// <summary>Pooling modes over a hand-made 3-token, 2-dimension example with the last token masked.</summary>
public sealed class TokenPoolingTests
{
    // Token states (rows) [1, 2], [3, -4], [100, 100] (padding).
    private static readonly float[] s_states = [1, 2, 3, -4, 100, 100];
    private static readonly long[] s_mask = [1, 1, 0];

    [Theory]
    [InlineData((int)PoolingModes.Cls, new float[] { 1, 2 })]
    [InlineData((int)PoolingModes.Max, new float[] { 3, 2 })]
    [InlineData((int)PoolingModes.Mean, new float[] { 2, -1 })]
    [InlineData((int)PoolingModes.LastToken, new float[] { 3, -4 })]
    public void Pool_SingleMode_FollowsSentenceTransformers(int mode, float[] expected)
    {
        float[] pooled = new float[2];

        TokenPooling.Pool(s_states, s_mask, 2, (PoolingModes)mode, pooled);

        Assert.Equal(expected, pooled);
    }

    [Fact]
    public void Pool_MeanSqrtLen_DividesTheSumBySqrtOfTheCount()
    {
        float[] pooled = new float[2];

        TokenPooling.Pool(s_states, s_mask, 2, PoolingModes.MeanSqrtLen, pooled);

        Assert.Equal(4 / MathF.Sqrt(2), pooled[0], 6);
        Assert.Equal(-2 / MathF.Sqrt(2), pooled[1], 6);
    }

    [Fact]
    public void Pool_WeightedMean_WeighsByPosition()
    {
        float[] pooled = new float[2];

        TokenPooling.Pool(s_states, s_mask, 2, PoolingModes.WeightedMean, pooled);

        // (1·[1,2] + 2·[3,-4]) / 3
        Assert.Equal(7f / 3, pooled[0], 6);
        Assert.Equal(-6f / 3, pooled[1], 6);
    }

    [Fact]
    public void Pool_SeveralModes_ConcatenateInSentenceTransformersOrder()
    {
        float[] pooled = new float[6];

        TokenPooling.Pool(s_states, s_mask, 2, PoolingModes.LastToken | PoolingModes.Cls | PoolingModes.Mean, pooled);

        Assert.Equal([1, 2, 2, -1, 3, -4], pooled);
    }

    [Fact]
    public void Pool_LastTokenWithLeftPadding_TakesTheLastKeptPosition()
    {
        float[] pooled = new float[2];

        TokenPooling.Pool([100, 100, 1, 2, 3, -4], [0, 1, 1], 2, PoolingModes.LastToken, pooled);

        Assert.Equal([3, -4], pooled);
    }
}
