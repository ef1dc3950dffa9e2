namespace Embeddings.Models;

/// <summary>The weights of a Dense module: <c>y = activation(W·x + b)</c>.</summary>
internal sealed class DenseLayerWeights
{
    public DenseLayerWeights(int inFeatures, int outFeatures, float[] weight, float[]? bias)
    {
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        Weight = weight;
        Bias = bias;
    }

    public int InFeatures { get; }

    public int OutFeatures { get; }

    /// <summary>Gets W, row-major [OutFeatures, InFeatures] (PyTorch's <c>linear.weight</c> layout).</summary>
    public float[] Weight { get; }

    /// <summary>Gets b [OutFeatures], or <see langword="null"/> without bias.</summary>
    public float[]? Bias { get; }
}
