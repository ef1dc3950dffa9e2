namespace Embeddings.AspNetCore;

/// <summary>The outcome of offering work to a <see cref="DynamicBatcher"/>.</summary>
internal enum EnqueueStatus
{
    /// <summary>The work is queued.</summary>
    Queued,

    /// <summary>The queue holds too many inputs already (429).</summary>
    QueueFull,

    /// <summary>The server has stopped (503).</summary>
    Stopped,
}
