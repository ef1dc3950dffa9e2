using Microsoft.Extensions.Logging;

namespace Embeddings.Composition;

/// <summary>
/// Tracks cache failures: counts them, logs at most one warning per <see cref="WarningInterval"/>, and after
/// <see cref="FailuresToBreak"/> consecutive failures leaves the cache alone for the configured break duration, so
/// that an unreachable cache does not add its timeout to every call.
/// </summary>
internal sealed class EmbeddingCacheFailures(
    ILogger logger, EmbeddingCacheMetrics metrics, string backend, TimeSpan breakDuration, TimeProvider timeProvider)
{
    /// <summary>Consecutive failures after which the cache is bypassed.</summary>
    public const int FailuresToBreak = 3;

    /// <summary>The shortest time between two failure warnings.</summary>
    public static readonly TimeSpan WarningInterval = TimeSpan.FromSeconds(30);

    private readonly Lock _lock = new();
    private int _consecutive;
    private long _bypassUntil = long.MinValue;
    private long _nextWarning = long.MinValue;
    private int _suppressed;

    /// <summary>Gets a value indicating whether the cache should be tried now.</summary>
    public bool ShouldAttempt() => timeProvider.GetTimestamp() >= Volatile.Read(ref _bypassUntil);

    /// <summary>Records a successful operation.</summary>
    public void Succeeded()
    {
        if (Volatile.Read(ref _consecutive) != 0)
        {
            Volatile.Write(ref _consecutive, 0);
        }
    }

    /// <summary>Records an operation that was not attempted because the cache is bypassed.</summary>
    public void Skipped(string operation) => metrics.Error(operation, "circuit_open");

    /// <summary>Records a failed operation.</summary>
    public void Failed(string operation, string errorType, Exception? exception)
    {
        metrics.Error(operation, errorType);
        long now = timeProvider.GetTimestamp();
        bool warn;
        int suppressed;
        bool bypass = false;
        int failures;
        lock (_lock)
        {
            failures = ++_consecutive;
            if (failures >= FailuresToBreak && breakDuration > TimeSpan.Zero && now >= _bypassUntil)
            {
                _bypassUntil = now + (long)(breakDuration.TotalSeconds * timeProvider.TimestampFrequency);
                bypass = true;
            }

            warn = now >= _nextWarning;
            if (warn)
            {
                _nextWarning = now + (long)(WarningInterval.TotalSeconds * timeProvider.TimestampFrequency);
                suppressed = _suppressed;
                _suppressed = 0;
            }
            else
            {
                suppressed = 0;
                _suppressed++;
            }
        }

        if (warn)
        {
            EmbeddingCacheLog.CacheFailed(logger, backend, operation, errorType, suppressed, exception);
        }

        // Logged when the cache is first bypassed, not at every re-opening while it stays down.
        if (bypass && failures == FailuresToBreak)
        {
            EmbeddingCacheLog.CacheBypassed(logger, backend, failures, breakDuration);
        }
    }
}
