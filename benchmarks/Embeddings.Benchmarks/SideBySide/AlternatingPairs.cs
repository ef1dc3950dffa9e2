using System.Diagnostics;

namespace Embeddings.Benchmarks.SideBySide;

/// <summary>
/// Two calls timed in alternation (a, b, b, a, ...) in one process: on a machine whose speed drifts, each pair shares
/// the same conditions, so the median of the per-pair ratios stays meaningful where separate runs would not.
/// </summary>
internal sealed class AlternatingPairs
{
    private AlternatingPairs(double[] first, double[] second, double[] ratios)
    {
        Array.Sort(first);
        Array.Sort(second);
        Array.Sort(ratios);
        First = first;
        Second = second;
        Ratios = ratios;
    }

    /// <summary>Gets the first call's times in microseconds, sorted.</summary>
    public double[] First { get; }

    /// <summary>Gets the second call's times in microseconds, sorted.</summary>
    public double[] Second { get; }

    /// <summary>Gets, per pair, the first call's time over the second's, sorted.</summary>
    public double[] Ratios { get; }

    public static async Task<AlternatingPairs> MeasureAsync(Func<Task> first, Func<Task> second, int pairs, int warmupPairs)
    {
        for (int i = 0; i < warmupPairs; i++)
        {
            await first();
            await second();
        }

        double[] a = new double[pairs];
        double[] b = new double[pairs];
        double[] ratios = new double[pairs];
        for (int i = 0; i < pairs; i++)
        {
            // Alternate which goes first, so neither always follows the other.
            if (i % 2 == 0)
            {
                a[i] = await TimeAsync(first);
                b[i] = await TimeAsync(second);
            }
            else
            {
                b[i] = await TimeAsync(second);
                a[i] = await TimeAsync(first);
            }

            ratios[i] = a[i] / b[i];
        }

        return new AlternatingPairs(a, b, ratios);
    }

    public static double Median(double[] sorted) => sorted[sorted.Length / 2];

    /// <summary>
    /// Times <paramref name="measured"/> against <paramref name="reference"/> and writes one result line: both medians
    /// (microseconds) and the median of the per-pair ratios (reference time over measured time).
    /// </summary>
    public static async Task ReportAsync(
        string kind, (string Name, Func<Task> Call) measured, (string Name, Func<Task> Call) reference, int pairs, Dictionary<string, object?>? fields = null)
    {
        AlternatingPairs timed = await MeasureAsync(reference.Call, measured.Call, pairs, warmupPairs: Math.Min(pairs, 200));
        var line = new Dictionary<string, object?>(fields ?? [], StringComparer.Ordinal)
        {
            ["measured"] = measured.Name,
            ["reference"] = reference.Name,
            ["pairs"] = pairs,
            ["measured_median_us"] = Median(timed.Second),
            ["reference_median_us"] = Median(timed.First),
            ["ratio_median"] = Median(timed.Ratios),
            ["ratio_p25"] = timed.Ratios[pairs / 4],
            ["ratio_p75"] = timed.Ratios[pairs * 3 / 4],
        };
        ResultLine.Write(kind, line);
    }

    private static async Task<double> TimeAsync(Func<Task> call)
    {
        long start = Stopwatch.GetTimestamp();
        await call();
        return Stopwatch.GetElapsedTime(start).TotalMicroseconds;
    }
}
