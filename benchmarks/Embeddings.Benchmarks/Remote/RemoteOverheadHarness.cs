using System.Diagnostics;
using System.Globalization;

namespace Embeddings.Benchmarks.Remote;

/// <summary>
/// The same comparison as <see cref="RemoteProviderBenchmark"/>, measured call by call in alternation (raw, provider,
/// raw, provider, ...): on a machine whose speed drifts, each pair shares the same conditions, so the median of the
/// per-pair ratios stays meaningful where separate runs would not.
/// </summary>
internal static class RemoteOverheadHarness
{
    public static async Task<int> RunAsync(string[] args)
    {
        int pairs = args is ["--pairs", var n, ..] ? int.Parse(n, CultureInfo.InvariantCulture) : 2000;
        Console.WriteLine($"{pairs} alternating pairs per batch size after 200 warm-up pairs; loopback TEI-style server, 768 dimensions, cached answers; "
            + $"{Environment.ProcessorCount} cores.");
        Console.WriteLine();
        Console.WriteLine("| batch | raw HttpClient median (us) | provider median (us) | median of pair ratios | p25 ratio | p75 ratio |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|");
        foreach (int batch in new[] { 1, 10, 32 })
        {
            var bench = new RemoteProviderBenchmark { BatchSize = batch };
            await bench.SetupAsync();
            try
            {
                for (int i = 0; i < 200; i++)
                {
                    await bench.RawHttpClient();
                    await bench.Provider();
                }

                double[] raw = new double[pairs];
                double[] provider = new double[pairs];
                double[] ratios = new double[pairs];
                for (int i = 0; i < pairs; i++)
                {
                    // Alternate which goes first, so neither always follows the other.
                    if (i % 2 == 0)
                    {
                        raw[i] = await TimeAsync(bench.RawHttpClient);
                        provider[i] = await TimeAsync(bench.Provider);
                    }
                    else
                    {
                        provider[i] = await TimeAsync(bench.Provider);
                        raw[i] = await TimeAsync(bench.RawHttpClient);
                    }

                    ratios[i] = provider[i] / raw[i];
                }

                Array.Sort(raw);
                Array.Sort(provider);
                Array.Sort(ratios);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {batch} | {Median(raw):0} | {Median(provider):0} | {Median(ratios):0.000} | {ratios[pairs / 4]:0.000} | {ratios[pairs * 3 / 4]:0.000} |"));
            }
            finally
            {
                await bench.CleanupAsync();
            }
        }

        return 0;
    }

    private static async Task<double> TimeAsync<T>(Func<Task<T>> call)
    {
        long start = Stopwatch.GetTimestamp();
        await call();
        return Stopwatch.GetElapsedTime(start).TotalMicroseconds;
    }

    private static double Median(double[] sorted) => sorted[sorted.Length / 2];
}
