using Embeddings.Benchmarks.Cache;

namespace Embeddings.Benchmarks.SideBySide;

/// <summary>
/// Cache hits against computing, with <see cref="CacheBenchmarks"/>' setup (a redis-server on loopback, a loopback HTTP
/// embedding service, 768-dimensional vectors), timed as alternating pairs: a hit, then what it replaces.
/// </summary>
internal static class CacheSide
{
    public static async Task<int> RunAsync(SideArgs args)
    {
        int pairs = args.Int("pairs", 2000);
        var bench = new CacheBenchmarks();
        await bench.SetupAsync();
        try
        {
            var cases = new (string Hit, Func<Task> HitCall, string Reference, Func<Task> ReferenceCall)[]
            {
                (nameof(bench.Hit_Memory), bench.Hit_Memory, nameof(bench.Compute_LoopbackHttp), bench.Compute_LoopbackHttp),
                (nameof(bench.Hit_Redis), bench.Hit_Redis, nameof(bench.Compute_LoopbackHttp), bench.Compute_LoopbackHttp),
                (nameof(bench.Hit_Memory), bench.Hit_Memory, nameof(bench.Compute_NoWorkProvider), bench.Compute_NoWorkProvider),
                (nameof(bench.Hit_Memory_Batch), bench.Hit_Memory_Batch, nameof(bench.Compute_LoopbackHttp_Batch), bench.Compute_LoopbackHttp_Batch),
                (nameof(bench.Hit_Redis_Batch), bench.Hit_Redis_Batch, nameof(bench.Compute_LoopbackHttp_Batch), bench.Compute_LoopbackHttp_Batch),
            };
            foreach ((string hit, Func<Task> hitCall, string reference, Func<Task> referenceCall) in cases)
            {
                AlternatingPairs timed = await AlternatingPairs.MeasureAsync(referenceCall, hitCall, pairs, warmupPairs: Math.Min(pairs, 200));
                ResultLine.Write("cache", new()
                {
                    ["hit"] = hit,
                    ["reference"] = reference,
                    ["pairs"] = pairs,
                    ["hit_median_us"] = AlternatingPairs.Median(timed.Second),
                    ["reference_median_us"] = AlternatingPairs.Median(timed.First),
                    ["ratio_median"] = AlternatingPairs.Median(timed.Ratios),
                });
            }
        }
        finally
        {
            await bench.CleanupAsync();
        }

        return 0;
    }
}
