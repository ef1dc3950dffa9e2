namespace Embeddings.AspNetCore;

/// <summary>The inputs of one request (for one provider) waiting for, or taken into, a provider call.</summary>
internal sealed class BatchWorkItem(IReadOnlyList<EmbeddingInput> inputs, BatchKey key, long enqueuedAt)
{
    /// <summary>Gets the inputs, in request order.</summary>
    public IReadOnlyList<EmbeddingInput> Inputs { get; } = inputs;

    /// <summary>Gets the options, which decide what the item may share a call with.</summary>
    public BatchKey Key { get; } = key;

    /// <summary>Gets the timestamp (<see cref="TimeProvider.GetTimestamp"/>) at which the item was queued.</summary>
    public long EnqueuedAt { get; } = enqueuedAt;

    /// <summary>Gets the completion the request awaits: one result per input, in order.</summary>
    public TaskCompletionSource<IReadOnlyList<EmbeddingResult>> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Gets or sets the item's node in the queue (guarded by the batcher's lock).</summary>
    public LinkedListNode<BatchWorkItem>? Node { get; set; }

    /// <summary>Gets or sets where the item is (guarded by the batcher's lock).</summary>
    public BatchItemState State { get; set; }

    /// <summary>Gets or sets the call the item was taken into (guarded by the batcher's lock).</summary>
    public RunningBatch? Batch { get; set; }

    /// <summary>Gets or sets the registration on the request's cancellation.</summary>
    public CancellationTokenRegistration Registration { get; set; }
}
