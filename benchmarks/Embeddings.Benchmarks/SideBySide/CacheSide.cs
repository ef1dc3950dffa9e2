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
            (string, Func<Task>) http = (nameof(bench.Compute_LoopbackHttp), bench.Compute_LoopbackHttp);
            (string, Func<Task>) httpBatch = (nameof(bench.Compute_LoopbackHttp_Batch), bench.Compute_LoopbackHttp_Batch);
            await AlternatingPairs.ReportAsync("cache", (nameof(bench.Hit_Memory), bench.Hit_Memory), http, pairs);
            await AlternatingPairs.ReportAsync("cache", (nameof(bench.Hit_Redis), bench.Hit_Redis), http, pairs);
            await AlternatingPairs.ReportAsync("cache", (nameof(bench.Hit_Memory), bench.Hit_Memory), (nameof(bench.Compute_NoWorkProvider), bench.Compute_NoWorkProvider), pairs);
            await AlternatingPairs.ReportAsync("cache", (nameof(bench.Hit_Memory_Batch), bench.Hit_Memory_Batch), httpBatch, pairs);
            await AlternatingPairs.ReportAsync("cache", (nameof(bench.Hit_Redis_Batch), bench.Hit_Redis_Batch), httpBatch, pairs);
        }
        finally
        {
            await bench.CleanupAsync();
        }

        return 0;
    }
}
