using Embeddings.Onnx;

namespace Embeddings.Local;

/// <summary>What the text and image sides share around a graph run: reading a [batch, dimensions] output and
/// releasing the input tensors.</summary>
internal static class EncoderOutput
{
    /// <summary>Copies a float32 [<paramref name="count"/>, <paramref name="dimensions"/>] output into one vector per row.</summary>
    /// <exception cref="EmbeddingInferenceException">The output has another shape.</exception>
    public static float[][] Rows(OnnxOutput output, int count, int dimensions, string model)
    {
        ReadOnlySpan<long> shape = output.Shape;
        if (shape.Length != 2 || shape[0] != count || shape[1] != dimensions)
        {
            throw ShapeError(output, model, $"[{count},{dimensions}]");
        }

        ReadOnlySpan<float> data = output.GetData<float>();
        var vectors = new float[count][];
        for (int r = 0; r < count; r++)
        {
            vectors[r] = data.Slice(r * dimensions, dimensions).ToArray();
        }

        return vectors;
    }

    /// <summary>The error for a graph output whose shape is not the one expected.</summary>
    public static EmbeddingInferenceException ShapeError(OnnxOutput output, string model, string expected)
    {
        string got = string.Join(',', output.Shape.ToArray());
        return new EmbeddingInferenceException(1, $"Model '{model}': output '{output.Name}' has shape [{got}]; expected {expected}.");
    }

    /// <summary>Disposes the tensors created so far (entries not yet created are <see langword="null"/>).</summary>
    public static void DisposeAll(OnnxTensor?[] tensors)
    {
        foreach (OnnxTensor? tensor in tensors)
        {
            tensor?.Dispose();
        }
    }
}
