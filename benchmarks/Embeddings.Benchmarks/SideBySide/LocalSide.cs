using System.Diagnostics;
using System.Globalization;
using System.Numerics.Tensors;
using System.Text.Json;
using Embeddings.Imaging;
using Embeddings.Local;
using Embeddings.Tokenization;

namespace Embeddings.Benchmarks.SideBySide;

/// <summary>
/// The local comparison's side for this library (benchmarks/sidebyside/tjs_e2e.mjs, transformers.js, is the peer):
/// <see cref="LocalOnnxProvider"/> offline, <c>threads</c> intra-op threads and as many decoding workers, one inter-op
/// thread, memory arena off, only the side of the model the case needs.
/// <list type="bullet">
/// <item><c>local-images</c>: a pass embeds <c>count</c> JPEGs (the files cycled, bytes in memory) in batches of
/// <c>batch</c>, timed in turn with the same images as tensors made once (inference alone through the provider's own
/// session, the vectors normalized as end to end does); lines <c>local-images</c> and <c>local-images-tensors</c>.</item>
/// <item><c>local-texts</c>: a pass embeds every sentence of the JSON file in batches of <c>batch</c>; the line carries
/// each text's token count (special tokens included, no padding), which must equal the peer's.</item>
/// <item><c>local-stream</c>: <c>count</c> images through <see cref="LocalOnnxProvider.EmbedStreamAsync"/>, resident
/// memory read from /proc/self/status (and the managed heap's size) every 5 %; line <c>local-stream</c>.</item>
/// </list>
/// </summary>
internal static class LocalSide
{
    public static async Task<int> RunAsync(string name, SideArgs args)
    {
        int threads = args.Int("threads", Environment.ProcessorCount);
        var options = new LocalOnnxProviderOptions
        {
            ImageBatchSize = args.Int("batch", LocalOnnxProviderDefaults.ImageBatchSize),
            TextBatchSize = args.Int("batch", LocalOnnxProviderDefaults.TextBatchSize),
            PreprocessingParallelism = threads,
            Modalities = name == "local-texts" ? EmbeddingModalities.Text : EmbeddingModalities.Image,
        };
        options.ModelSource.Offline = true;
        options.Runtime.IntraOpThreads = threads;
        options.Runtime.InterOpThreads = 1;
        options.Runtime.EnableCpuMemoryArena = false;

        long loadStart = Stopwatch.GetTimestamp();
        using LocalOnnxProvider provider = await LocalOnnxProvider.CreateAsync(args.String("model-dir"), options);
        double loadMs = Stopwatch.GetElapsedTime(loadStart).TotalMilliseconds;
        var fields = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["model"] = provider.Metadata.ModelId,
            ["threads"] = threads,
            ["preprocessing_parallelism"] = threads,
            ["load_ms"] = loadMs,
        };
        switch (name)
        {
            case "local-images":
                await ImagesAsync(provider, args, fields);
                return 0;
            case "local-texts":
                await TextsAsync(provider, args, fields);
                return 0;
            default:
                await StreamAsync(provider, args, fields);
                return 0;
        }
    }

    private static async Task ImagesAsync(LocalOnnxProvider provider, SideArgs args, Dictionary<string, object?> fields)
    {
        int batch = args.Int("batch", LocalOnnxProviderDefaults.ImageBatchSize);
        EmbeddingInput[] inputs = Images(args, args.Int("count", 24));

        // The same pixels, made once, for inference alone.
        ImagePreprocessor preprocessor = provider.Image!.Preprocessor;
        int length = preprocessor.TensorLength;
        float[] tensors = new float[inputs.Length * length];
        if (preprocessor.PreprocessBatch(inputs, tensors).FirstOrDefault(e => e is not null) is { } error)
        {
            throw error;
        }

        (Samples endToEnd, Samples alone) = await Samples.MeasureInTurnAsync(
            async () => Check(await provider.EmbedAsync(inputs)),
            () =>
            {
                for (int start = 0; start < inputs.Length; start += batch)
                {
                    int n = Math.Min(batch, inputs.Length - start);
                    foreach (float[] vector in provider.RunImageTensors(tensors.AsMemory(start * length, n * length), n))
                    {
                        TensorPrimitives.Divide(vector, TensorPrimitives.Norm(vector), vector);
                    }
                }

                return Task.CompletedTask;
            },
            args.Int("warmup", 1),
            args.Int("min-runs", 2),
            args.Double("min-seconds", 5));
        Write("local-images", endToEnd, fields, ("items", inputs.Length), ("batch", batch));
        Write("local-images-tensors", alone, fields, ("items", inputs.Length), ("batch", batch));
    }

    private static async Task TextsAsync(LocalOnnxProvider provider, SideArgs args, Dictionary<string, object?> fields)
    {
        string[] sentences = JsonSerializer.Deserialize<string[]>(File.ReadAllText(args.String("texts")))
            ?? throw new ArgumentException("--texts holds no JSON array of strings.");
        EmbeddingInput[] inputs = [.. sentences.Select(s => EmbeddingInput.FromText(s))];
        Samples samples = await Samples.MeasureAsync(
            async () => Check(await provider.EmbedAsync(inputs)),
            args.Int("warmup", 1),
            args.Int("min-runs", 2),
            args.Double("min-seconds", 5));

        // Each text's tokens, for the FLOPs of the useful work (the peer counts its attention mask).
        Tokenizer tokenizer = provider.GetService<Tokenizer>() ?? throw new InvalidOperationException("The model has no tokenizer.");
        int[] tokenCounts = [.. sentences.Select(s => tokenizer.Encode(s).Length)];
        Write("local-texts", samples, fields, ("items", inputs.Length), ("batch", args.Int("batch", LocalOnnxProviderDefaults.TextBatchSize)),
            ("token_counts", tokenCounts));
    }

    private static async Task StreamAsync(LocalOnnxProvider provider, SideArgs args, Dictionary<string, object?> fields)
    {
        int count = args.Int("count", 10_000);
        EmbeddingInput[] cycle = Images(args, 0);
        int every = Math.Max(1, count / 20);
        var rssMb = new List<double>();
        var managedMb = new List<double>();
        double settledRssMb = 0, settledManagedMb = 0;
        int done = 0;
        var watch = Stopwatch.StartNew();
        await foreach (EmbeddingResult result in provider.EmbedStreamAsync(Produce(cycle, count)))
        {
            if (!result.Succeeded)
            {
                throw new InvalidOperationException($"Image {done} of the stream failed: {result.Error!.Message}");
            }

            if (++done % every == 0)
            {
                rssMb.Add(ProcStatusMb("VmRSS:"));

                // The managed heap as it stands (no collection forced): tells managed growth from native.
                managedMb.Add(GC.GetTotalMemory(forceFullCollection: false) / (1024.0 * 1024.0));
            }

            // The baseline for flatness: once pools, JIT tiers and allocator arenas have grown (a tenth of the stream),
            // after a full collection, so that garbage the GC has not reclaimed yet is not mistaken for growth.
            if (done == Math.Max(1, count / 10))
            {
                Collect();
                settledRssMb = ProcStatusMb("VmRSS:");
                settledManagedMb = GC.GetTotalMemory(forceFullCollection: false) / (1024.0 * 1024.0);
            }
        }

        double seconds = watch.Elapsed.TotalSeconds;
        double hwmMb = ProcStatusMb("VmHWM:");

        // After a full collection: what the stream left behind, as opposed to garbage the GC had not yet reclaimed.
        Collect();
        var line = new Dictionary<string, object?>(fields, StringComparer.Ordinal)
        {
            ["images"] = done,
            ["seconds"] = seconds,
            ["sample_every"] = every,
            ["rss_mb_samples"] = rssMb,
            ["rss_mb_first"] = rssMb[0],
            ["rss_mb_last"] = rssMb[^1],
            ["rss_mb_max"] = rssMb.Max(),
            ["managed_mb_samples"] = managedMb,
            ["vm_hwm_mb"] = hwmMb,
            ["rss_mb_settled"] = settledRssMb,
            ["managed_mb_settled"] = settledManagedMb,
            ["rss_mb_after_collect"] = ProcStatusMb("VmRSS:"),
            ["managed_mb_after_collect"] = GC.GetTotalMemory(forceFullCollection: false) / (1024.0 * 1024.0),
        };
        ResultLine.Write("local-stream", line);
    }

    private static void Collect()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }

    /// <summary>The <c>--images</c> files as in-memory JPEG inputs, cycled to <paramref name="count"/> (0: each once).</summary>
    private static EmbeddingInput[] Images(SideArgs args, int count)
    {
        string[] files = args.List("images", string.Empty);
        if (files.Length == 0)
        {
            throw new ArgumentException("--images names no file.");
        }

        EmbeddingInput[] once = [.. files.Select(f => EmbeddingInput.FromImage(File.ReadAllBytes(f), Path.GetFileName(f)))];
        return count <= 0 ? once : [.. Enumerable.Range(0, count).Select(i => once[i % once.Length])];
    }

    private static async IAsyncEnumerable<EmbeddingInput> Produce(EmbeddingInput[] cycle, int count)
    {
        for (int i = 0; i < count; i++)
        {
            // As a reader of files or a queue would: the stream is consumed as it is produced, never held whole.
            await Task.Yield();
            yield return cycle[i % cycle.Length];
        }
    }

    private static void Check(IReadOnlyList<EmbeddingResult> results)
    {
        for (int i = 0; i < results.Count; i++)
        {
            if (!results[i].Succeeded)
            {
                throw new InvalidOperationException($"Input {i} failed: {results[i].Error!.Message}");
            }
        }
    }

    private static double ProcStatusMb(string key)
    {
        string line = File.ReadLines("/proc/self/status").First(l => l.StartsWith(key, StringComparison.Ordinal));
        return long.Parse(line[key.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024.0;
    }

    private static void Write(string kind, Samples samples, Dictionary<string, object?> fields, params (string Key, object? Value)[] extra)
    {
        var line = new Dictionary<string, object?>(fields, StringComparer.Ordinal);
        foreach ((string key, object? value) in samples.ToFields())
        {
            line[key] = value;
        }

        foreach ((string key, object? value) in extra)
        {
            line[key] = value;
        }

        ResultLine.Write(kind, line);
    }
}
