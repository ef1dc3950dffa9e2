using System.Buffers;

namespace Embeddings.Local;

/// <summary>
/// A run of consecutive inputs on its way through the pipeline: tokenized texts (sorted by length) and
/// preprocessed image tensors, then one result per input.
/// </summary>
internal sealed class PreparedChunk
{
    public PreparedChunk(int offset, EmbeddingInput[] inputs)
    {
        Offset = offset;
        Inputs = inputs;
        Results = new EmbeddingResult?[inputs.Length];
    }

    /// <summary>Gets the position of the first input in the whole call or stream.</summary>
    public int Offset { get; }

    /// <summary>Gets the inputs.</summary>
    public EmbeddingInput[] Inputs { get; }

    /// <summary>Gets one result per input, filled as the chunk goes through preparation and execution.</summary>
    public EmbeddingResult?[] Results { get; }

    /// <summary>Gets or sets the tokenized texts, shortest first.</summary>
    public TextItem[] Texts { get; set; } = [];

    /// <summary>Gets or sets the preprocessed images' tensors, consecutive (pooled; released by
    /// <see cref="ReleaseBuffers"/>).</summary>
    public float[]? Pixels { get; set; }

    /// <summary>Gets or sets, per tensor in <see cref="Pixels"/>, the position of its input in the chunk.</summary>
    public int[] ImageSlots { get; set; } = [];

    /// <summary>Returns the pooled buffers. Safe to call more than once.</summary>
    public void ReleaseBuffers()
    {
        if (Pixels is { } pixels)
        {
            Pixels = null;
            ArrayPool<float>.Shared.Return(pixels);
        }
    }
}
