using System.Numerics.Tensors;
using Embeddings.Models;

namespace Embeddings.Local;

/// <summary>sentence-transformers' Dense modules, <c>y = activation(W·x + b)</c>, applied in order.</summary>
internal sealed class DenseHead
{
    private readonly DenseLayerWeights[] _layers;
    private readonly DenseActivation[] _activations;

    public DenseHead(IReadOnlyList<DenseLayerConfig> configs, string model)
    {
        _layers = [.. configs.Select(c => c.LoadWeights(model))];
        _activations = [.. configs.Select(c => c.Activation)];
    }

    /// <summary>Gets the size of the final output.</summary>
    public int OutputSize => _layers[^1].OutFeatures;

    /// <summary>Applies every layer to <paramref name="input"/>.</summary>
    /// <returns>A new array of <see cref="OutputSize"/> values.</returns>
    public float[] Apply(ReadOnlySpan<float> input)
    {
        float[] x = input.ToArray();
        for (int l = 0; l < _layers.Length; l++)
        {
            DenseLayerWeights layer = _layers[l];
            var y = new float[layer.OutFeatures];
            ReadOnlySpan<float> weight = layer.Weight;
            for (int o = 0; o < y.Length; o++)
            {
                y[o] = TensorPrimitives.Dot(weight.Slice(o * layer.InFeatures, layer.InFeatures), x);
            }

            if (layer.Bias is { } bias)
            {
                TensorPrimitives.Add(y, bias, y);
            }

            Activate(y, _activations[l]);
            x = y;
        }

        return x;
    }

    private static void Activate(Span<float> values, DenseActivation activation)
    {
        switch (activation)
        {
            case DenseActivation.Tanh:
                TensorPrimitives.Tanh(values, values);
                break;
            case DenseActivation.Relu:
                TensorPrimitives.Max(values, 0f, values);
                break;
            case DenseActivation.Sigmoid:
                TensorPrimitives.Sigmoid(values, values);
                break;
            case DenseActivation.Gelu:
                for (int i = 0; i < values.Length; i++)
                {
                    double v = values[i];
                    values[i] = (float)(0.5 * v * (1 + Erf(v / Math.Sqrt(2))));
                }

                break;
        }
    }

    // Abramowitz and Stegun 7.1.26 (absolute error below 1.5e-7, under float32's resolution near 1).
    private static double Erf(double x)
    {
        double sign = Math.Sign(x);
        x = Math.Abs(x);
        double t = 1 / (1 + (0.3275911 * x));
        double y = 1 - ((((((1.061405429 * t) - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.Exp(-x * x);
        return sign * y;
    }
}
