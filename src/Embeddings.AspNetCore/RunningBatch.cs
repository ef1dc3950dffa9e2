namespace Embeddings.AspNetCore;

/// <summary>
/// One provider call in progress. Its token is cancelled when the server stops, or when every request it serves has
/// gone away (no one is left to read the vectors).
/// </summary>
internal sealed class RunningBatch : IDisposable
{
    private readonly CancellationTokenSource _cancellation;
    private int _live;

    public RunningBatch(int requests, CancellationToken stopping)
    {
        _cancellation = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        _live = requests;
    }

    /// <summary>Gets the token passed to the provider.</summary>
    public CancellationToken Token => _cancellation.Token;

    /// <summary>Records that one request of the batch went away.</summary>
    public void Abandon()
    {
        if (Interlocked.Decrement(ref _live) == 0)
        {
            try
            {
                _cancellation.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // The call already ended.
            }
        }
    }

    public void Dispose() => _cancellation.Dispose();
}
