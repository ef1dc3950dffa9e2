using Embeddings.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Embeddings.DependencyInjection;

/// <summary>
/// Hands every usage record to each registered <see cref="IEmbeddingUsageObserver"/> in turn; one that throws is
/// logged and the others still get the record.
/// </summary>
internal sealed class UsageObserverFanOut(IEmbeddingUsageObserver[] observers, ILogger logger) : IEmbeddingUsageObserver
{
    /// <summary>Gets the observer to give providers: none, the only one, or a fan-out over several.</summary>
    public static IEmbeddingUsageObserver? Combine(IEnumerable<IEmbeddingUsageObserver> observers, ILogger logger)
    {
        IEmbeddingUsageObserver[] distinct = [.. observers.Distinct()];
        return distinct.Length switch
        {
            0 => null,
            1 => distinct[0],
            _ => new UsageObserverFanOut(distinct, logger),
        };
    }

    public void OnUsage(EmbeddingUsageRecord record)
    {
        foreach (IEmbeddingUsageObserver observer in observers)
        {
            try
            {
                observer.OnUsage(record);
            }
            catch (Exception ex)
            {
                EmbeddingsLog.ObserverFailed(logger, observer.GetType().Name, ex);
            }
        }
    }
}
