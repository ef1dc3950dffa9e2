using System.Collections.Concurrent;
using Embeddings.Diagnostics;

namespace Embeddings.TestSupport;

/// <summary>An <see cref="IEmbeddingUsageObserver"/> that keeps every record.</summary>
internal sealed class RecordingUsageObserver : IEmbeddingUsageObserver
{
    private readonly ConcurrentQueue<EmbeddingUsageRecord> _records = new();

    public IReadOnlyList<EmbeddingUsageRecord> Records => [.. _records];

    /// <summary>Gets or sets a hook run for every record (to throw, for example).</summary>
    public Action<EmbeddingUsageRecord>? OnRecord { get; set; }

    public void OnUsage(EmbeddingUsageRecord record)
    {
        _records.Enqueue(record);
        OnRecord?.Invoke(record);
    }
}
