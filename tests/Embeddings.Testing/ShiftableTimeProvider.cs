namespace Embeddings.TestSupport;

/// <summary>The system clock plus an offset the test can advance: "now" jumps ahead while timers and delays keep
/// running in real time.</summary>
internal sealed class ShiftableTimeProvider : TimeProvider
{
    private long _offsetTicks;

    public void Advance(TimeSpan by) => Interlocked.Add(ref _offsetTicks, by.Ticks);

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow().AddTicks(Interlocked.Read(ref _offsetTicks));
}
