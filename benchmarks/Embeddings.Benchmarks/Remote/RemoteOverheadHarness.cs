using System.Globalization;
using Embeddings.Benchmarks.SideBySide;

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
        int at = Array.IndexOf(args, "--pairs");
        int pairs = at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : 2000;

        // --json: one JSON line per batch size (for benchmarks/run.sh) after the table.
        bool json = args.Contains("--json");
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
                AlternatingPairs timed = await AlternatingPairs.MeasureAsync(bench.Provider, bench.RawHttpClient, pairs, warmupPairs: 200);
                double[] ratios = timed.Ratios;
                double raw = AlternatingPairs.Median(timed.Second);
                double provider = AlternatingPairs.Median(timed.First);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {batch} | {raw:0} | {provider:0} | {AlternatingPairs.Median(ratios):0.000} | {ratios[pairs / 4]:0.000} | {ratios[pairs * 3 / 4]:0.000} |"));
                if (json)
                {
                    ResultLine.Write("remote-overhead", new()
                    {
                        ["batch"] = batch,
                        ["pairs"] = pairs,
                        ["raw_median_us"] = raw,
                        ["provider_median_us"] = provider,
                        ["ratio_median"] = AlternatingPairs.Median(ratios),
                        ["ratio_p25"] = ratios[pairs / 4],
                        ["ratio_p75"] = ratios[pairs * 3 / 4],
                    });
                }
            }
            finally
            {
                await bench.CleanupAsync();
            }
        }

        return 0;
    }
}
