using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Embeddings.Composition;
using Embeddings.Local;
using Embeddings.Reliability.Support;
using Embeddings.Remote;
using Embeddings.TestSupport;

namespace Embeddings.Reliability.Soak;

/// <summary>
/// The remote-then-local chain under a service that keeps failing in new ways: 20 callers for
/// <see cref="SoakSettings.Duration"/> while the fault switches every two seconds (5xx, 429 with Retry-After,
/// timeouts, dropped connections, malformed, non-finite and wrong-sized bodies, slow answers, health). Every input
/// gets exactly one vector, its own (the fake service's vector for its text, or the local model's), in order; the
/// process's memory stays flat.
/// </summary>
[Collection(nameof(IsolatedCollection))]
public sealed class FallbackSoakTests(ITestOutputHelper output)
{
    private const int Callers = 20;

    private static readonly TimeSpan s_phase = TimeSpan.FromSeconds(2);

    private static readonly (string Name, ServerFault Fault)[] s_faults =
    [
        ("healthy", ServerFault.None),
        ("500", ServerFault.Status(500)),
        ("429 Retry-After 1", ServerFault.RateLimited("1")),
        ("timeout", ServerFault.Slow(TimeSpan.FromSeconds(2))),
        ("healthy", ServerFault.None),
        ("connection drop", ServerFault.DropConnection),
        ("malformed JSON", ServerFault.MalformedJson),
        ("503 Retry-After 0", ServerFault.Status(503, null, ("Retry-After", "0"))),
        ("slow but in time", ServerFault.Slow(TimeSpan.FromMilliseconds(60))),
        ("NaN", ServerFault.NaN),
        ("wrong dimensions", ServerFault.WrongDimensions),
        ("wrong count", ServerFault.WrongCount),
        ("HTML error page", ServerFault.Html),
        ("502", ServerFault.Status(502)),
        ("healthy", ServerFault.None),
    ];

    [Fact]
    public async Task EmbedAsync_20CallersUnderSwitchingFaults_EveryInputGetsItsOwnVectorOnce()
    {
        TimeSpan duration = SoakSettings.Duration;
        LocalOnnxProvider local = ReliabilityModels.Create("minilm");

        // A second instance of the same model recomputes the vectors the chain served locally.
        using LocalOnnxProvider localAgain = ReliabilityModels.Create("minilm");
        int dimensions = local.Metadata.Dimensions;
        await using FaultInjectingServer server = await FaultInjectingServer.StartAsync(dimensions);
        var remoteOptions = new HuggingFaceProviderOptions
        {
            BaseUrl = server.BaseUrl,
            ModelId = local.Metadata.ModelId,
            Protocol = RemoteProtocol.TextEmbeddingsInference,
            BatchSize = 8,
            Timeout = TimeSpan.FromMilliseconds(400),
            MaxRetries = 2,
            RetryDelay = TimeSpan.FromMilliseconds(20),
            MaxRetryDelay = TimeSpan.FromMilliseconds(250),
        };
        remoteOptions.CircuitBreaker.MinimumThroughput = 10;
        remoteOptions.CircuitBreaker.SamplingDuration = TimeSpan.FromSeconds(2);
        remoteOptions.CircuitBreaker.BreakDuration = TimeSpan.FromSeconds(1);
        using var fallback = new FallbackProvider([HuggingFaceProvider.Create(remoteOptions), local]);

        // Every input is a unique text, so its vector tells which input it belongs to. Each vector is checked as it
        // arrives (nothing is kept but one bit per input, so the test's own memory does not hide or fake a leak): the
        // fake service's vector for its text, normalized as the provider normalizes, or the local model's, computed
        // again for the inputs that fell back.
        long nextId = 0;
        var seen = new SeenIds();
        var unexpected = new ConcurrentQueue<string>();
        var byProvider = new ConcurrentDictionary<string, long>();
        var reasons = new ConcurrentDictionary<string, long>();
        long sent = 0, returned = 0, calls = 0, serverRequests = 0;
        double worstLocal = 0;
        var phases = new List<string>();
        using var stop = new CancellationTokenSource();
        var watch = Stopwatch.StartNew();

        Task switcher = Task.Run(async () =>
        {
            for (int p = 0; !stop.IsCancellationRequested; p++)
            {
                (string name, ServerFault fault) = s_faults[p % s_faults.Length];

                // The fake server logs every request; clearing the log keeps the test's own memory out of the RSS.
                Interlocked.Add(ref serverRequests, server.TotalRequests);
                server.ResetCounters();
                server.Fault = fault;
                phases.Add(name);
                try
                {
                    await Task.Delay(s_phase, stop.Token);
                }
                catch (OperationCanceledException)
                {
                }
            }

            server.Fault = ServerFault.None;
            Interlocked.Add(ref serverRequests, server.TotalRequests);
            server.ResetCounters();
        }, TestContext.Current.CancellationToken);

        async Task Caller(int caller)
        {
            var random = new Random(PropertySeed.Value + caller);
            while (!stop.IsCancellationRequested)
            {
                int count = random.Next(1, 13);
                long[] ids = [.. Enumerable.Range(0, count).Select(_ => Interlocked.Increment(ref nextId))];
                EmbeddingInput[] inputs = [.. ids.Select(id => EmbeddingInput.FromText(Text(id)))];
                Interlocked.Add(ref sent, count);
                Interlocked.Increment(ref calls);
                IReadOnlyList<EmbeddingResult> results = await fallback.EmbedAsync(inputs, cancellationToken: TestContext.Current.CancellationToken);
                if (results.Count != count)
                {
                    unexpected.Enqueue($"caller {caller}: {results.Count} results for {count} inputs");
                    continue;
                }

                List<int> local = [];
                for (int i = 0; i < count; i++)
                {
                    EmbeddingResult result = results[i];
                    if (!result.Succeeded)
                    {
                        unexpected.Enqueue($"input {ids[i]} failed: {result.Error!.GetType().Name}: {result.Error.Message}");
                        continue;
                    }

                    Interlocked.Increment(ref returned);
                    byProvider.AddOrUpdate(result.ProviderName, 1, (_, n) => n + 1);
                    if (result.Embedding!.AdditionalProperties?.TryGetValue(FallbackProvider.FallbackReasonProperty, out object? reason) == true)
                    {
                        reasons.AddOrUpdate(reason?.ToString() ?? "?", 1, (_, n) => n + 1);
                    }

                    if (!seen.Add(ids[i]))
                    {
                        unexpected.Enqueue($"input {ids[i]} was served twice");
                    }

                    if (result.ProviderName == "huggingface")
                    {
                        double diff = VectorDifference.MaxAbs(FakeEmbedding.Normalized(FakeEmbedding.ForText(Text(ids[i]), dimensions)), result.Vector.Span);
                        if (diff > 1e-6)
                        {
                            unexpected.Enqueue($"input {ids[i]} served remotely carries a vector that is not its own (max |diff| {diff:E2})");
                        }
                    }
                    else
                    {
                        local.Add(i);
                    }
                }

                if (local.Count > 0)
                {
                    IReadOnlyList<EmbeddingResult> again = await localAgain.EmbedAsync([.. local.Select(i => inputs[i])], cancellationToken: TestContext.Current.CancellationToken);
                    for (int k = 0; k < local.Count; k++)
                    {
                        double diff = VectorDifference.MaxAbs(again[k].Vector.Span, results[local[k]].Vector.Span);
                        InterlockedMax(ref worstLocal, diff);
                        if (diff > 1e-5)
                        {
                            unexpected.Enqueue($"input {ids[local[k]]} served locally carries a vector that is not its own (max |diff| {diff:E2})");
                        }
                    }
                }
            }
        }

        Task[] callers = [.. Enumerable.Range(0, Callers).Select(c => Task.Run(() => Caller(c), TestContext.Current.CancellationToken))];
        TimeSpan warmUp = TimeSpan.FromTicks(Math.Min(TimeSpan.FromSeconds(5).Ticks, duration.Ticks / 5));
        await Task.Delay(warmUp, TestContext.Current.CancellationToken);

        // RSS is sampled through the run; growth is counted from the lowest sample, so memory that earlier tests in
        // the process release meanwhile cannot hide a leak (nor can the warm-up's one-off growth fake one).
        var samples = new List<long> { Rss.Settled() };
        long sentAfterWarmUp = Interlocked.Read(ref sent);
        TimeSpan sampleEvery = (duration - warmUp) / 5;
        for (int i = 0; i < 5; i++)
        {
            await Task.Delay(sampleEvery, TestContext.Current.CancellationToken);
            samples.Add(Rss.Settled());
        }

        await stop.CancelAsync();
        await Task.WhenAll(callers);
        await switcher;
        watch.Stop();
        long rssAtEnd = Rss.Settled();
        long rssLowest = samples.Min();
        long rssAfterWarmUp = samples[0];

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Soak {watch.Elapsed.TotalSeconds:F1} s ({SoakSettings.Variable}={duration.TotalSeconds}), {Callers} callers, seed {PropertySeed.Value}, " +
            $"phases of {s_phase.TotalSeconds} s: {string.Join(" > ", phases)}"));
        output.WriteLine($"Calls {calls}, inputs sent {sent}, vectors returned {returned} " +
            $"({string.Join(", ", byProvider.Select(p => $"{p.Key} {p.Value}"))}); fallback reasons: " +
            $"{string.Join(", ", reasons.OrderByDescending(r => r.Value).Select(r => $"{r.Key} {r.Value}"))}; " +
            $"server requests {serverRequests}; largest local difference {worstLocal:E2}.");
        output.WriteLine($"RSS after warm-up ({sentAfterWarmUp} inputs) {Rss.MiB(rssAfterWarmUp)}, samples {string.Join(", ", samples.Skip(1).Select(Rss.MiB))}, " +
            $"at the end {Rss.MiB(rssAtEnd)}; growth from the lowest sample {Rss.MiB(rssAtEnd - rssLowest)}.");

        Assert.True(unexpected.IsEmpty, string.Join('\n', unexpected.Take(20)) + $"\n({unexpected.Count} problems)");
        Assert.Equal(sent, returned);
        Assert.Equal(nextId, seen.Count);

        // The run exercised both paths: the service served while healthy, the local model while it failed.
        Assert.True(byProvider.GetValueOrDefault("huggingface") > 0, "the remote service never served");
        Assert.True(byProvider.Keys.Any(p => p != "huggingface"), "the local model never served");
        Assert.True(rssAtEnd - rssLowest < 48L * 1024 * 1024, $"RSS grew by {Rss.MiB(rssAtEnd - rssLowest)} during the soak");
    }

    private static void InterlockedMax(ref double target, double value)
    {
        for (double current = Volatile.Read(ref target); value > current; current = Volatile.Read(ref target))
        {
            if (Interlocked.CompareExchange(ref target, value, current) == current)
            {
                return;
            }
        }
    }

    private static string Text(long id) => string.Create(CultureInfo.InvariantCulture, $"soak input {id}: the quick brown fox {id % 17}");
}
