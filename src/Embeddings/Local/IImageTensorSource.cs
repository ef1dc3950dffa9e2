namespace Embeddings.Local;

/// <summary>Turns image inputs into a vision model's <c>pixel_values</c> (CHW float32, one tensor per image).</summary>
internal interface IImageTensorSource
{
    /// <summary>Gets the tensor width.</summary>
    int OutputWidth { get; }

    /// <summary>Gets the tensor height.</summary>
    int OutputHeight { get; }

    /// <summary>Gets the floats per image: 3 × height × width.</summary>
    int TensorLength { get; }

    /// <summary>Preprocesses a batch into consecutive tensors; a failing input leaves its slot zeroed and its error at
    /// its index.</summary>
    IReadOnlyList<EmbeddingInputException?> PreprocessBatch(
        IReadOnlyList<EmbeddingInput> inputs, Memory<float> destination, int maxDegreeOfParallelism, CancellationToken cancellationToken);
}
