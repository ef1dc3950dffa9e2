namespace Embeddings.AspNetCore;

/// <summary>Where a <see cref="BatchWorkItem"/> is.</summary>
internal enum BatchItemState
{
    /// <summary>Waiting in the queue.</summary>
    Queued,

    /// <summary>Taken into a provider call.</summary>
    Running,

    /// <summary>Removed from the queue because its request was cancelled.</summary>
    Cancelled,
}
