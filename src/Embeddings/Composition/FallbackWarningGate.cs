namespace Embeddings.Composition;

/// <summary>Lets one warning through per interval and counts the ones held back, so an outage does not flood the log.</summary>
internal sealed class FallbackWarningGate(TimeSpan interval, TimeProvider timeProvider)
{
    private readonly Lock _lock = new();
    private long _next = long.MinValue;
    private int _suppressed;

    /// <summary>Returns whether to log now and, if so, how many warnings were held back since the last one.</summary>
    public bool TryEnter(out int suppressed)
    {
        long now = timeProvider.GetTimestamp();
        lock (_lock)
        {
            if (now < _next)
            {
                _suppressed++;
                suppressed = 0;
                return false;
            }

            _next = now + (long)(interval.TotalSeconds * timeProvider.TimestampFrequency);
            suppressed = _suppressed;
            _suppressed = 0;
            return true;
        }
    }
}
