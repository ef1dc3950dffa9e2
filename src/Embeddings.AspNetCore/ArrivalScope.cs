namespace Embeddings.AspNetCore;

/// <summary>The time one request spends being received (see <see cref="ArrivalTracker"/>); ends once.</summary>
internal sealed class ArrivalScope(ArrivalTracker tracker) : IDisposable
{
    private int _ended;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _ended, 1) == 0)
        {
            tracker.End();
        }
    }
}
