namespace Embeddings.Onnx;

/// <summary>A model input or output as the model declares it: name, element type and shape.</summary>
/// <param name="Name">The input or output name.</param>
/// <param name="IsTensor">Whether it is a tensor (sequences and maps are not; their type and shape are empty).</param>
/// <param name="ElementType">The element type.</param>
/// <param name="Shape">The dimensions; -1 for a dynamic one.</param>
/// <param name="DimensionNames">For each dimension, its symbolic name (for example <c>batch_size</c>), or an empty
/// string when it has none.</param>
internal sealed record OnnxTensorInfo(
    string Name,
    bool IsTensor,
    OnnxElementType ElementType,
    IReadOnlyList<long> Shape,
    IReadOnlyList<string> DimensionNames)
{
    /// <summary>Gets the rank (number of dimensions).</summary>
    public int Rank => Shape.Count;

    /// <summary>Describes the tensor as <c>name: float[batch_size,3]</c>, symbolic dimensions by name and dynamic
    /// unnamed ones as <c>?</c>.</summary>
    public override string ToString()
    {
        if (!IsTensor)
        {
            return Name + ": (not a tensor)";
        }

        var dims = new string[Shape.Count];
        for (int i = 0; i < dims.Length; i++)
        {
            dims[i] = Shape[i] >= 0 ? Shape[i].ToString(System.Globalization.CultureInfo.InvariantCulture)
                : DimensionNames[i].Length > 0 ? DimensionNames[i] : "?";
        }

        return $"{Name}: {OnnxElementTypes.Name(ElementType)}[{string.Join(',', dims)}]";
    }
}
