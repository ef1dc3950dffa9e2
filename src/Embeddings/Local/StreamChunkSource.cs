namespace Embeddings.Local;

/// <summary>
/// Reads an input stream chunk by chunk. A chunk is handed on as soon as it is full, or as soon as the stream has
/// nothing ready: a slow producer gets its results without waiting for a full batch.
/// </summary>
internal sealed class StreamChunkSource(IAsyncEnumerator<EmbeddingInput> inputs, InputChunker chunker) : IAsyncDisposable
{
    private Task<bool>? _pending;
    private bool _done;
    private int _offset;

    /// <summary>Reads the next chunk; <see langword="null"/> at the end of the stream.</summary>
    public async ValueTask<(int Offset, EmbeddingInput[] Inputs)?> NextAsync()
    {
        while (!_done)
        {
            ValueTask<bool> move = _pending is { } pending ? new ValueTask<bool>(pending) : inputs.MoveNextAsync();
            _pending = null;
            if (!move.IsCompleted && chunker.Count > 0)
            {
                // Nothing ready: send what we have and keep the read going.
                _pending = move.AsTask();
                break;
            }

            if (!await move.ConfigureAwait(false))
            {
                _done = true;
                break;
            }

            ArgumentNullException.ThrowIfNull(inputs.Current, "inputs");
            if (chunker.Add(inputs.Current))
            {
                break;
            }
        }

        if (chunker.Count == 0)
        {
            return null;
        }

        EmbeddingInput[] chunk = chunker.Take();
        int offset = _offset;
        _offset += chunk.Length;
        return (offset, chunk);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_pending is { } pending)
        {
            // An enumerator must not be disposed while a read is in flight.
            await pending.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default)
                .ConfigureAwait(false);
        }

        await inputs.DisposeAsync().ConfigureAwait(false);
    }
}
