using Embeddings.Benchmarks.Composition;

namespace Embeddings.Benchmarks.SideBySide;

/// <summary>
/// What <c>FallbackProvider</c> adds, with <see cref="FallbackBenchmarks"/>' setup, timed as alternating pairs at
/// batches of 1 and 32: through the fallback against calling a healthy primary directly (the real remote provider on a
/// loopback server, and a provider doing no work), and with the remote's circuit open against calling the local
/// provider directly.
/// </summary>
internal static class FallbackSide
{
    public static async Task<int> RunAsync(SideArgs args)
    {
        int pairs = args.Int("pairs", 2000);
        foreach (int batch in new[] { 1, 32 })
        {
            var bench = new FallbackBenchmarks { BatchSize = batch };
            await bench.SetupAsync();
            try
            {
                var fields = new Dictionary<string, object?> { ["batch"] = batch };
                await AlternatingPairs.ReportAsync(
                    "fallback", (nameof(bench.RemoteViaFallback), bench.RemoteViaFallback), (nameof(bench.RemoteDirect), bench.RemoteDirect), pairs, fields);
                await AlternatingPairs.ReportAsync(
                    "fallback", (nameof(bench.InProcessViaFallback), bench.InProcessViaFallback), (nameof(bench.InProcessDirect), bench.InProcessDirect), pairs, fields);
                await AlternatingPairs.ReportAsync(
                    "fallback", (nameof(bench.LocalViaFallbackCircuitOpen), bench.LocalViaFallbackCircuitOpen), (nameof(bench.LocalDirect), bench.LocalDirect), pairs, fields);
            }
            finally
            {
                await bench.CleanupAsync();
            }
        }

        return 0;
    }
}
