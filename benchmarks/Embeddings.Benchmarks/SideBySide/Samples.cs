using System.Diagnostics;

namespace Embeddings.Benchmarks.SideBySide;

/// <summary>
/// Wall-clock and process CPU time of repeated calls: warm-up calls first (a count, and optionally a time, so that the
/// JIT has compiled the hot loops at their final tier before anything is timed), then calls until both a minimum count
/// and a minimum time are reached (the loop the peers' scripts use).
/// </summary>
internal sealed class Samples
{
    private readonly List<double> _wallMs = [];
    private readonly List<double> _cpuMs = [];

    public int Count => _wallMs.Count;

    public double MedianMs => Median(_wallMs);

    public double MinMs => _wallMs.Min();

    public double MaxMs => _wallMs.Max();

    public double CpuMedianMs => Median(_cpuMs);

    /// <summary>Gets the managed bytes allocated per timed call, on every thread (background work included).</summary>
    public double AllocatedBytesPerCall { get; private set; }

    public static Samples Measure(Action call, int warmup, int minRuns, double minSeconds, double warmupSeconds = 0) =>
        MeasureAsync(
            () =>
            {
                call();
                return Task.CompletedTask;
            },
            warmup,
            minRuns,
            minSeconds,
            warmupSeconds).GetAwaiter().GetResult();

    public static async Task<Samples> MeasureAsync(Func<Task> call, int warmup, int minRuns, double minSeconds, double warmupSeconds = 0)
    {
        var warming = Stopwatch.StartNew();
        for (int i = 0; i < warmup || warming.Elapsed.TotalSeconds < warmupSeconds; i++)
        {
            await call();
        }

        var samples = new Samples();
        long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var total = Stopwatch.StartNew();
        while (samples.Count < minRuns || total.Elapsed.TotalSeconds < minSeconds)
        {
            await samples.TimeAsync(call, countAllocations: false);
        }

        samples.AllocatedBytesPerCall = (double)(GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore) / samples.Count;
        return samples;
    }

    /// <summary>
    /// Two calls timed in turn (first, second, first, ...) after their warm-up calls, until each has both a minimum
    /// count and together they have run a minimum time: on a machine whose speed drifts both see the same conditions,
    /// so their ratio stays meaningful.
    /// </summary>
    public static async Task<(Samples First, Samples Second)> MeasureInTurnAsync(Func<Task> first, Func<Task> second, int warmup, int minRuns, double minSeconds)
    {
        for (int i = 0; i < warmup; i++)
        {
            await first();
            await second();
        }

        var a = new Samples();
        var b = new Samples();
        double allocatedA = 0;
        double allocatedB = 0;
        var total = Stopwatch.StartNew();
        while (a.Count < minRuns || total.Elapsed.TotalSeconds < minSeconds)
        {
            allocatedA += await a.TimeAsync(first, countAllocations: true);
            allocatedB += await b.TimeAsync(second, countAllocations: true);
        }

        a.AllocatedBytesPerCall = allocatedA / a.Count;
        b.AllocatedBytesPerCall = allocatedB / b.Count;
        return (a, b);
    }

    public static double Median(IReadOnlyList<double> values)
    {
        double[] sorted = [.. values];
        Array.Sort(sorted);
        return sorted[sorted.Length / 2];
    }

    /// <summary>Times one call into this set of samples and returns the managed bytes it allocated, when asked (a
    /// precise count costs a little, so the single-call loop counts once around all its calls instead).</summary>
    private async Task<double> TimeAsync(Func<Task> call, bool countAllocations)
    {
        long allocatedBefore = countAllocations ? GC.GetTotalAllocatedBytes(precise: true) : 0;
        TimeSpan cpuStart = Environment.CpuUsage.TotalTime;
        long start = Stopwatch.GetTimestamp();
        await call();
        _wallMs.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        _cpuMs.Add((Environment.CpuUsage.TotalTime - cpuStart).TotalMilliseconds);
        return countAllocations ? GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore : 0;
    }

    public Dictionary<string, object?> ToFields() => new(StringComparer.Ordinal)
    {
        ["median_ms"] = MedianMs,
        ["min_ms"] = MinMs,
        ["max_ms"] = MaxMs,
        ["cpu_median_ms"] = CpuMedianMs,
        ["runs"] = Count,
        ["allocated_bytes_per_call"] = AllocatedBytesPerCall,
    };
}
