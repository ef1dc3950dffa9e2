using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Embeddings.Benchmarks.SideBySide;
using Embeddings.Remote;
using Embeddings.Remote.Wire;
using Embeddings.TestSupport;

namespace Embeddings.Benchmarks.Remote;

/// <summary>
/// Many concurrent callers against one loopback server that takes a fixed time per request: do the callers starve the
/// thread pool? Measures, per scenario, the thread pool's thread count and queue length (sampled every 5 ms from a
/// dedicated thread), how late a 10 ms timer fires on the pool (starvation shows there first), and call latency.
/// The peer is a raw <see cref="HttpClient"/> doing the same calls unbounded.
/// </summary>
internal static class RemoteLoadHarness
{
    public static async Task<int> RunAsync(string[] args)
    {
        int callers = Arg(args, "--callers", 500);
        int rounds = Arg(args, "--rounds", 7);
        int delayMs = Arg(args, "--delay-ms", 20);
        int threadsAtStart = ThreadPool.ThreadCount;

        // --json: one JSON line per scenario (for benchmarks/run.sh) after the table.
        bool json = args.Contains("--json");

        await using FaultInjectingServer server = await FaultInjectingServer.StartAsync(dimensions: 768);
        server.ResponseDelay = TimeSpan.FromMilliseconds(delayMs);
        using var client = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        Uri embedUri = new(server.BaseUrl, RemoteRoutes.Embed);

        var scenarios = new List<(string Name, Func<string, Task<bool>> Call, IDisposable? Owned)>
        {
            ("raw HttpClient, unbounded", text => RawAsync(client, embedUri, text), null),
        };
        foreach (int bound in new[] { 8, 64, callers })
        {
            HuggingFaceProvider provider = new(client, new HuggingFaceProviderOptions
            {
                BaseUrl = server.BaseUrl,
                ModelId = "load/model",
                Protocol = RemoteProtocol.TextEmbeddingsInference,
                MaxConcurrentRequests = bound,
            });
            string label = bound == 8 ? "HuggingFaceProvider, MaxConcurrentRequests=8 (default)" : $"HuggingFaceProvider, MaxConcurrentRequests={bound}";
            scenarios.Add((label, async text => (await provider.EmbedAsync([text]))[0].Succeeded, provider));
        }

        // Warm every path (JIT, connections) before measuring.
        foreach ((_, Func<string, Task<bool>> call, _) in scenarios)
        {
            await Task.WhenAll(Enumerable.Range(0, 32).Select(i => call($"warm-up {i}")));
        }

        var results = scenarios.ToDictionary(s => s.Name, _ => new List<RoundResult>());
        for (int round = 0; round < rounds; round++)
        {
            // Rotate the order each round, so no scenario always runs first (or always after the same one).
            for (int k = 0; k < scenarios.Count; k++)
            {
                (string name, Func<string, Task<bool>> call, _) = scenarios[(round + k) % scenarios.Count];
                results[name].Add(await RunRoundAsync(call, callers, $"{name} {round}"));
            }
        }

        Console.WriteLine($"{callers} concurrent callers, one text each, server answering after {delayMs} ms; {Environment.ProcessorCount} cores; "
            + $"median of {rounds} rounds (by wall time); thread pool at start: {threadsAtStart} threads, at the end: {ThreadPool.ThreadCount}.");
        Console.WriteLine();
        Console.WriteLine("| scenario | wall (ms) | calls/s | p50 (ms) | p95 (ms) | p99 (ms) | max (ms) | pool threads max | pool queue max | pool queue mean | 10 ms timer late by, max (ms) | failed |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach ((string name, _, IDisposable? owned) in scenarios)
        {
            RoundResult r = results[name].OrderBy(x => x.Wall).ElementAt(rounds / 2);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {name} | {r.Wall.TotalMilliseconds:0} | {callers / r.Wall.TotalSeconds:0} | {r.P50:0.0} | {r.P95:0.0} | {r.P99:0.0} | {r.Max:0.0} | {r.MaxThreads} | {r.MaxQueue} | {r.MeanQueue:0.0} | {r.MaxLateness:0.0} | {r.Failed} |"));
            if (json)
            {
                ResultLine.Write("remote-load", new()
                {
                    ["scenario"] = name,
                    ["callers"] = callers,
                    ["delay_ms"] = delayMs,
                    ["rounds"] = rounds,
                    ["wall_ms"] = r.Wall.TotalMilliseconds,
                    ["calls_per_s"] = callers / r.Wall.TotalSeconds,
                    ["p50_ms"] = r.P50,
                    ["p99_ms"] = r.P99,
                    ["max_ms"] = r.Max,
                    ["pool_threads_max"] = r.MaxThreads,
                    ["pool_queue_mean"] = r.MeanQueue,
                    ["timer_late_max_ms"] = r.MaxLateness,
                    ["failed"] = r.Failed,
                });
            }
            owned?.Dispose();
        }

        return 0;
    }

    private static async Task<bool> RawAsync(HttpClient client, Uri uri, string text)
    {
        byte[] body = JsonSerializer.SerializeToUtf8Bytes(new EmbedRequest { Inputs = new TextInputs([text]) }, RemoteJsonContext.Default.EmbedRequest);
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new("application/json");
        using HttpResponseMessage response = await client.PostAsync(uri, content);
        if (!response.IsSuccessStatusCode)
        {
            return false;
        }

        await using Stream stream = await response.Content.ReadAsStreamAsync();
        return (await JsonSerializer.DeserializeAsync(stream, RemoteJsonContext.Default.SingleArrayArray))?.Length == 1;
    }

    private static async Task<RoundResult> RunRoundAsync(Func<string, Task<bool>> call, int callers, string tag)
    {
        using var stop = new CancellationTokenSource();
        int maxThreads = 0;
        long maxQueue = 0;
        long queueSum = 0;
        int samples = 0;
        var sampler = new Thread(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                long queue = ThreadPool.PendingWorkItemCount;
                maxThreads = Math.Max(maxThreads, ThreadPool.ThreadCount);
                maxQueue = Math.Max(maxQueue, queue);
                queueSum += queue;
                samples++;
                Thread.Sleep(5);
            }
        }) { IsBackground = true, Name = "pool sampler" };
        sampler.Start();

        double maxLateness = 0;
        Task probe = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                long start = Stopwatch.GetTimestamp();
                await Task.Delay(10);
                maxLateness = Math.Max(maxLateness, Stopwatch.GetElapsedTime(start).TotalMilliseconds - 10);
            }
        });

        double[] latencies = new double[callers];
        int failed = 0;
        var wall = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, callers).Select(i => Task.Run(async () =>
        {
            long start = Stopwatch.GetTimestamp();
            bool ok;
            try
            {
                ok = await call($"{tag} caller {i}");
            }
            catch (HttpRequestException)
            {
                ok = false;
            }

            latencies[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            if (!ok)
            {
                Interlocked.Increment(ref failed);
            }
        })));
        TimeSpan elapsed = wall.Elapsed;
        await stop.CancelAsync();
        await probe;
        sampler.Join();

        Array.Sort(latencies);
        return new RoundResult(elapsed, Percentile(latencies, 0.50), Percentile(latencies, 0.95), Percentile(latencies, 0.99), latencies[^1],
            maxThreads, maxQueue, samples == 0 ? 0 : (double)queueSum / samples, maxLateness, failed);
    }

    private static double Percentile(double[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];

    private static int Arg(string[] args, string name, int fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }

    private sealed record RoundResult(
        TimeSpan Wall, double P50, double P95, double P99, double Max, int MaxThreads, long MaxQueue, double MeanQueue, double MaxLateness, int Failed);
}
