namespace Embeddings.Local;

/// <summary>
/// Cuts inputs into pipeline chunks: a chunk closes when it holds a full image batch or enough texts for a few
/// length-sorted batches.
/// </summary>
internal sealed class InputChunker(int imageBatchSize, int textChunkSize)
{
    private readonly List<EmbeddingInput> _inputs = [];
    private int _images;
    private int _texts;

    /// <summary>Gets the number of inputs in the open chunk.</summary>
    public int Count => _inputs.Count;

    /// <summary>Adds an input; returns whether the chunk is now full.</summary>
    public bool Add(EmbeddingInput input)
    {
        _inputs.Add(input);
        if (input.Kind == EmbeddingInputKind.Text)
        {
            _texts++;
        }
        else
        {
            _images++;
        }

        return _images >= imageBatchSize || _texts >= textChunkSize;
    }

    /// <summary>Closes the open chunk and starts a new one.</summary>
    public EmbeddingInput[] Take()
    {
        EmbeddingInput[] chunk = [.. _inputs];
        _inputs.Clear();
        _images = 0;
        _texts = 0;
        return chunk;
    }
}
