namespace Embeddings.Local;

/// <summary>
/// Reads an input stream chunk by chunk, one read at a time. A read ends when its chunk is full, at the end of the
/// stream, or, when the stream has nothing ready, as soon as <see cref="RequestFlush"/> says the pipeline is idle:
/// fast streams get full batches and slow producers get their results without waiting for a batch to fill.
/// </summary>
internal sealed class StreamChunkSource : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop;
    private readonly IAsyncEnumerator<EmbeddingInput> _inputs;
    private readonly InputChunker _chunker;
    // Completed while the pipeline is idle, waiting for this source.
    private TaskCompletionSource _idle = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task<bool>? _pendingMove;
    private Task? _inFlight;
    private bool _done;
    private bool _stopped;
    private int _offset;

    public StreamChunkSource(IAsyncEnumerable<EmbeddingInput> inputs, InputChunker chunker, CancellationToken cancellationToken)
    {
        // Disposing stops a producer that honours its token, so an abandoned stream is not read to its end.
        _stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _inputs = inputs.GetAsyncEnumerator(_stop.Token);
        _chunker = chunker;
    }

    /// <summary>Reads the next chunk; <see langword="null"/> at the end of the stream.</summary>
    public ValueTask<(int Offset, EmbeddingInput[] Inputs)?> NextAsync()
    {
        lock (_stop)
        {
            if (_stopped)
            {
                // Disposed while the pipeline was about to read ahead: nothing more is read.
                return new((ValueTuple<int, EmbeddingInput[]>?)null);
            }

            Task<(int Offset, EmbeddingInput[] Inputs)?> read = ReadAsync();
            _inFlight = read;
            return new(read);
        }
    }

    /// <summary>Says the pipeline is idle: a read waiting for the stream returns its partial chunk (now, or as soon as
    /// it has one) instead of waiting for more inputs.</summary>
    public void RequestFlush() => Volatile.Read(ref _idle).TrySetResult();

    /// <summary>Says the pipeline is busy again (it has taken a chunk): reads fill their chunks.</summary>
    public void ClearFlush()
    {
        if (Volatile.Read(ref _idle).Task.IsCompleted)
        {
            Volatile.Write(ref _idle, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        Task? inFlight;
        lock (_stop)
        {
            _stopped = true;
            inFlight = _inFlight;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        RequestFlush();

        // An enumerator must not be disposed while one of its reads is in flight.
        foreach (Task? task in new Task?[] { inFlight, _pendingMove })
        {
            if (task is not null)
            {
                await task.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default)
                    .ConfigureAwait(false);
            }
        }

        await _inputs.DisposeAsync().ConfigureAwait(false);
        _stop.Dispose();
    }

    private async Task<(int Offset, EmbeddingInput[] Inputs)?> ReadAsync()
    {
        // The caller holds a lock: the producer's code runs only after this returns.
        await Task.Yield();
        while (!_done)
        {
            ValueTask<bool> move = _pendingMove is { } pending ? new ValueTask<bool>(pending) : _inputs.MoveNextAsync();
            _pendingMove = null;
            if (!move.IsCompleted && _chunker.Count > 0)
            {
                Task<bool> waiting = move.AsTask();
                if (await Task.WhenAny(waiting, Volatile.Read(ref _idle).Task).ConfigureAwait(false) != waiting)
                {
                    // Flushed: hand over the partial chunk and keep this read for the next call.
                    _pendingMove = waiting;
                    break;
                }

                move = new ValueTask<bool>(waiting);
            }

            if (!await move.ConfigureAwait(false))
            {
                _done = true;
                break;
            }

            ArgumentNullException.ThrowIfNull(_inputs.Current, "inputs");
            if (_chunker.Add(_inputs.Current))
            {
                break;
            }
        }

        if (_chunker.Count == 0)
        {
            return null;
        }

        EmbeddingInput[] chunk = _chunker.Take();
        int offset = _offset;
        _offset += chunk.Length;
        return (offset, chunk);
    }
}
