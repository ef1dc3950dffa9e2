using Microsoft.Extensions.Logging;

namespace Embeddings.AspNetCore;

/// <summary>
/// A bounded queue in front of one provider that merges concurrent requests into shared provider calls.
/// </summary>
/// <remarks>
/// <para>A dispatcher takes a call slot (at most <c>maxConcurrentBatches</c> calls run at once), then forms a batch
/// from the oldest queued request and every later one with the same options, up to <c>maxBatchSize</c> inputs. It
/// waits for more company only while the batch is not full, the oldest request has waited less than
/// <c>maxBatchDelay</c>, and some other request is still being received; under load, requests queue while the slots
/// are busy and the next batch takes them all.</para>
/// <para>Each request gets back exactly its own slice of the call's results, so one request's bad input never fails
/// another's. A request that goes away leaves the queue at once; a call whose requests have all gone away is
/// cancelled.</para>
/// </remarks>
internal sealed class DynamicBatcher
{
    private readonly IEmbeddingProvider _provider;
    private readonly string _modality;
    private readonly int _maxBatchSize;
    private readonly int _maxQueuedInputs;
    private readonly int _maxConcurrentBatches;
    private readonly TimeSpan _maxBatchDelay;
    private readonly ArrivalTracker _arrivals;
    private readonly TimeProvider _timeProvider;
    private readonly ServerMetrics _metrics;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _slots;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();
    private readonly LinkedList<BatchWorkItem> _queue = new();
    private TaskCompletionSource _changed = NewSignal();
    private int _queuedInputs;
    private bool _stopped;
    private double _averageBatchSeconds;
    private double _averageBatchInputs;
    private long _calls;

    public DynamicBatcher(
        IEmbeddingProvider provider,
        string modality,
        EmbeddingsEndpointOptions options,
        ArrivalTracker arrivals,
        TimeProvider timeProvider,
        ServerMetrics metrics,
        ILogger logger)
    {
        _provider = provider;
        _modality = modality;
        _maxBatchSize = options.MaxBatchSize;
        _maxQueuedInputs = options.MaxQueuedInputs;
        _maxConcurrentBatches = options.MaxConcurrentBatches;
        _maxBatchDelay = options.MaxBatchDelay;
        _arrivals = arrivals;
        _timeProvider = timeProvider;
        _metrics = metrics;
        _logger = logger;
        _slots = new SemaphoreSlim(_maxConcurrentBatches, _maxConcurrentBatches);
        _arrivals.Departed += Signal;
        Dispatcher = Task.Run(DispatchLoopAsync);
    }

    /// <summary>Gets the provider this batcher calls.</summary>
    public IEmbeddingProvider Provider => _provider;

    /// <summary>Gets the modality tag of this batcher's metrics and logs (<c>text</c>, <c>image</c> or <c>text+image</c>).</summary>
    public string Modality => _modality;

    /// <summary>Gets how many provider calls were made.</summary>
    public long Calls => Interlocked.Read(ref _calls);

    /// <summary>Gets how many inputs are queued.</summary>
    public int QueuedInputs
    {
        get
        {
            lock (_gate)
            {
                return _queuedInputs;
            }
        }
    }

    /// <summary>Gets the dispatcher loop, which ends after <see cref="Stop"/>.</summary>
    internal Task Dispatcher { get; }

    /// <summary>Queues the inputs of one request.</summary>
    /// <param name="inputs">The inputs.</param>
    /// <param name="key">The call options.</param>
    /// <param name="cancellationToken">The request's cancellation: it removes the work from the queue.</param>
    /// <param name="completion">One result per input, once the call completes.</param>
    /// <returns>Whether the work was queued.</returns>
    public EnqueueStatus TryEnqueue(
        IReadOnlyList<EmbeddingInput> inputs, BatchKey key, CancellationToken cancellationToken, out Task<IReadOnlyList<EmbeddingResult>> completion)
    {
        var item = new BatchWorkItem(inputs, key, _timeProvider.GetTimestamp());

        // Registered before the dispatcher can see the item, so a batch never completes before its registration
        // exists (the batch disposes it); a request already cancelled cancels the item right here.
        RegisterCancellation(item, cancellationToken);
        completion = item.Completion.Task;
        EnqueueStatus status = EnqueueStatus.Queued;
        bool inline = false;
        lock (_gate)
        {
            if (item.State == BatchItemState.Cancelled)
            {
                return EnqueueStatus.Queued;
            }

            if (_stopped)
            {
                status = EnqueueStatus.Stopped;
            }
            else if (_queue.Count == 0 && _arrivals.Arriving <= 1 && _slots.Wait(0))
            {
                // Idle (nothing queued, a call slot free, no other request arriving): call the provider on this
                // request's own flow, sparing the dispatcher's thread hops; a batch could not have formed anyway.
                inline = true;
                item.State = BatchItemState.Running;
                item.Batch = new RunningBatch(1, _stopping.Token);
            }
            else if (_queuedInputs + inputs.Count > _maxQueuedInputs)
            {
                status = EnqueueStatus.QueueFull;
            }
            else
            {
                item.Node = _queue.AddLast(item);
                _queuedInputs += inputs.Count;
                _metrics.Queued(_modality, inputs.Count);
                SignalLocked();
            }
        }

        if (status != EnqueueStatus.Queued)
        {
            // Outside the lock: disposing waits for a running callback, which takes the lock.
            item.Registration.Dispose();
            completion = null!;
            return status;
        }

        if (inline)
        {
            completion = RunInlineAsync(item);
        }

        return EnqueueStatus.Queued;
    }

    private void RegisterCancellation(BatchWorkItem item, CancellationToken cancellationToken)
    {
        if (cancellationToken.CanBeCanceled)
        {
            item.Registration = cancellationToken.UnsafeRegister(
                static (state, token) =>
                {
                    var (batcher, work) = ((DynamicBatcher, BatchWorkItem))state!;
                    batcher.Cancel(work, token);
                },
                (this, item));
        }
    }

    /// <summary>Estimates how long until the queue has room, for <c>Retry-After</c>: whole seconds, 1 to 60.</summary>
    public int EstimateRetryAfterSeconds()
    {
        lock (_gate)
        {
            double perInput = _averageBatchInputs > 0 ? _averageBatchSeconds / _averageBatchInputs : 0.1;
            double seconds = _queuedInputs * perInput / _maxConcurrentBatches;
            return (int)Math.Clamp(Math.Ceiling(seconds), 1, 60);
        }
    }

    /// <summary>Stops taking work: queued requests fail with <see cref="ServerStoppingException"/> and running calls
    /// are cancelled. Called once the server has let in-flight requests finish.</summary>
    /// <returns>How many queued requests were dropped.</returns>
    public int Stop()
    {
        List<BatchWorkItem> dropped;
        lock (_gate)
        {
            if (_stopped)
            {
                return 0;
            }

            _stopped = true;
            dropped = [.. _queue];
            foreach (BatchWorkItem item in dropped)
            {
                item.State = BatchItemState.Cancelled;
            }

            _queue.Clear();
            _metrics.Dequeued(_modality, _queuedInputs);
            _queuedInputs = 0;
            SignalLocked();
        }

        _arrivals.Departed -= Signal;
        foreach (BatchWorkItem item in dropped)
        {
            item.Registration.Dispose();
            item.Completion.TrySetException(new ServerStoppingException());
        }

        _stopping.Cancel();
        return dropped.Count;
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private void Signal()
    {
        lock (_gate)
        {
            SignalLocked();
        }
    }

    private void SignalLocked()
    {
        TaskCompletionSource changed = _changed;
        _changed = NewSignal();
        changed.TrySetResult();
    }

    private void Cancel(BatchWorkItem item, CancellationToken token)
    {
        RunningBatch? running = null;
        lock (_gate)
        {
            switch (item.State)
            {
                case BatchItemState.Queued:
                    // Not in the queue yet when the request was cancelled before TryEnqueue took the lock.
                    if (item.Node is not null)
                    {
                        _queue.Remove(item.Node);
                        _queuedInputs -= item.Inputs.Count;
                        _metrics.Dequeued(_modality, item.Inputs.Count);
                        SignalLocked();
                    }

                    item.State = BatchItemState.Cancelled;
                    break;
                case BatchItemState.Running:
                    running = item.Batch;
                    break;
                default:
                    return;
            }
        }

        item.Completion.TrySetCanceled(token);
        running?.Abandon();
    }

    private async Task<IReadOnlyList<EmbeddingResult>> RunInlineAsync(BatchWorkItem item)
    {
        await RunBatchAsync([item]).ConfigureAwait(false);
        return await item.Completion.Task.ConfigureAwait(false);
    }

    private async Task DispatchLoopAsync()
    {
        while (await WaitForWorkAsync().ConfigureAwait(false))
        {
            // Requests keep queueing while every slot is busy: the next batch takes them all.
            try
            {
                await _slots.WaitAsync(_stopping.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            List<BatchWorkItem>? batch = await CollectAsync().ConfigureAwait(false);
            if (batch is null)
            {
                _slots.Release();
                continue;
            }

            // Off the dispatcher: a provider may do CPU work synchronously before its first await.
            _ = Task.Run(() => RunBatchAsync(batch));
        }
    }

    /// <summary>Waits until work is queued; <see langword="false"/> once stopped.</summary>
    private async Task<bool> WaitForWorkAsync()
    {
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                if (_stopped)
                {
                    return false;
                }

                if (_queue.Count > 0)
                {
                    return true;
                }

                changed = _changed.Task;
            }

            await changed.ConfigureAwait(false);
        }
    }

    /// <summary>Waits until a batch should go and takes it from the queue; <see langword="null"/> when the queue
    /// emptied meanwhile (its requests went away) or the batcher stopped.</summary>
    private async Task<List<BatchWorkItem>?> CollectAsync()
    {
        while (true)
        {
            Task changed;
            TimeSpan wait;
            lock (_gate)
            {
                BatchWorkItem? first = _queue.First?.Value;
                if (_stopped || first is null)
                {
                    return null;
                }

                TimeSpan waited = _timeProvider.GetElapsedTime(first.EnqueuedAt);
                if (waited >= _maxBatchDelay || _arrivals.Arriving == 0 || CountLocked(first.Key) >= _maxBatchSize)
                {
                    return TakeLocked(first.Key);
                }

                changed = _changed.Task;
                wait = _maxBatchDelay - waited;
            }

            using var delay = new CancellationTokenSource();
            Task timer = Task.Delay(wait, _timeProvider, delay.Token);
            if (await Task.WhenAny(changed, timer).ConfigureAwait(false) != timer)
            {
                await delay.CancelAsync().ConfigureAwait(false);
            }
        }
    }

    private int CountLocked(BatchKey key)
    {
        int count = 0;
        for (LinkedListNode<BatchWorkItem>? node = _queue.First; node is not null && count < _maxBatchSize; node = node.Next)
        {
            if (node.Value.Key == key)
            {
                count += node.Value.Inputs.Count;
            }
        }

        return count;
    }

    private List<BatchWorkItem> TakeLocked(BatchKey key)
    {
        var taken = new List<BatchWorkItem>();
        int inputs = 0;
        LinkedListNode<BatchWorkItem>? node = _queue.First;
        while (node is not null && inputs < _maxBatchSize)
        {
            LinkedListNode<BatchWorkItem>? next = node.Next;
            BatchWorkItem item = node.Value;
            if (item.Key == key && (taken.Count == 0 || inputs + item.Inputs.Count <= _maxBatchSize))
            {
                _queue.Remove(node);
                item.State = BatchItemState.Running;
                taken.Add(item);
                inputs += item.Inputs.Count;
            }

            node = next;
        }

        _queuedInputs -= inputs;
        _metrics.Dequeued(_modality, inputs);
        var running = new RunningBatch(taken.Count, _stopping.Token);
        foreach (BatchWorkItem item in taken)
        {
            item.Batch = running;
        }

        return taken;
    }

    private async Task RunBatchAsync(List<BatchWorkItem> items)
    {
        RunningBatch running = items[0].Batch!;
        int total = 0;
        foreach (BatchWorkItem item in items)
        {
            total += item.Inputs.Count;
            _metrics.QueueWait(_modality, _timeProvider.GetElapsedTime(item.EnqueuedAt));
        }

        Interlocked.Increment(ref _calls);
        long started = _timeProvider.GetTimestamp();
        string? errorType = null;
        try
        {
            IReadOnlyList<EmbeddingInput> inputs = items.Count == 1 ? items[0].Inputs : Concatenate(items, total);
            IReadOnlyList<EmbeddingResult> results = await _provider.EmbedAsync(inputs, items[0].Key.ToOptions(), running.Token).ConfigureAwait(false);
            if (results is null || results.Count != total)
            {
                throw new InvalidOperationException(
                    $"The provider {_provider.Metadata.ProviderName} returned {results?.Count ?? 0} results for {total} inputs.");
            }

            EmbeddingResult[] all = results as EmbeddingResult[] ?? [.. results];
            int offset = 0;
            foreach (BatchWorkItem item in items)
            {
                item.Completion.TrySetResult(new ArraySegment<EmbeddingResult>(all, offset, item.Inputs.Count));
                offset += item.Inputs.Count;
            }
        }
        catch (OperationCanceledException) when (running.Token.IsCancellationRequested)
        {
            errorType = "cancelled";
            foreach (BatchWorkItem item in items)
            {
                if (_stopping.IsCancellationRequested)
                {
                    item.Completion.TrySetException(new ServerStoppingException());
                }
                else
                {
                    item.Completion.TrySetCanceled(running.Token);
                }
            }
        }
        catch (Exception ex)
        {
            errorType = ex.GetType().Name;
            if (ex is not ArgumentException)
            {
                ServerLog.BatchFailed(_logger, _modality, total, items.Count, ex);
            }

            foreach (BatchWorkItem item in items)
            {
                item.Completion.TrySetException(ex);
            }
        }
        finally
        {
            TimeSpan duration = _timeProvider.GetElapsedTime(started);
            _metrics.Batch(_modality, total, duration, errorType);
            foreach (BatchWorkItem item in items)
            {
                item.Registration.Dispose();
            }

            running.Dispose();
            lock (_gate)
            {
                // Exponential moving averages for the Retry-After estimate.
                const double Weight = 0.2;
                _averageBatchSeconds = _averageBatchSeconds == 0 ? duration.TotalSeconds : (_averageBatchSeconds * (1 - Weight)) + (duration.TotalSeconds * Weight);
                _averageBatchInputs = _averageBatchInputs == 0 ? total : (_averageBatchInputs * (1 - Weight)) + (total * Weight);
            }

            _slots.Release();
        }
    }

    private static EmbeddingInput[] Concatenate(List<BatchWorkItem> items, int total)
    {
        var inputs = new EmbeddingInput[total];
        int offset = 0;
        foreach (BatchWorkItem item in items)
        {
            for (int i = 0; i < item.Inputs.Count; i++)
            {
                inputs[offset++] = item.Inputs[i];
            }
        }

        return inputs;
    }
}
