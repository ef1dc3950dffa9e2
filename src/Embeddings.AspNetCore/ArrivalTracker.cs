namespace Embeddings.AspNetCore;

/// <summary>
/// Counts requests that are being received and parsed, so a batcher waiting for company can tell whether anyone may
/// still join (and dispatch a lone request at once when nobody can).
/// </summary>
internal sealed class ArrivalTracker
{
    private int _arriving;

    /// <summary>Raised when a request stops arriving (it was queued or refused).</summary>
    public event Action? Departed;

    /// <summary>Gets how many requests are being received.</summary>
    public int Arriving => Volatile.Read(ref _arriving);

    /// <summary>Marks a request as being received; dispose the scope once it is queued or refused.</summary>
    public ArrivalScope Begin()
    {
        Interlocked.Increment(ref _arriving);
        return new ArrivalScope(this);
    }

    /// <summary>Marks a request as no longer being received.</summary>
    internal void End()
    {
        Interlocked.Decrement(ref _arriving);
        Departed?.Invoke();
    }
}
