namespace Embeddings.Diagnostics;

/// <summary>Receives a <see cref="EmbeddingUsageRecord"/> for every call a provider makes to an embedding service.</summary>
/// <remarks>
/// Called on the thread that completed the call, possibly from many threads at once: implementations must be
/// thread-safe and quick (queue the record if storing it is slow). An exception thrown here is logged and ignored.
/// </remarks>
public interface IEmbeddingUsageObserver
{
    /// <summary>Receives one record.</summary>
    /// <param name="record">The record.</param>
    void OnUsage(EmbeddingUsageRecord record);
}
