using System.Diagnostics;
using System.Globalization;
using Embeddings.TestSupport;

namespace Embeddings.Local;

/// <summary>Streaming many images keeps memory flat (runs alone: other tests' allocations would show in the RSS).</summary>
[Collection(nameof(Imaging.MemoryMeasurementCollection))]
public sealed class LocalOnnxProviderMemoryTests(ITestOutputHelper output)
{
    [Fact]
    public async Task EmbedStreamAsync_HundredsOfImages_KeepsMemoryFlat()
    {
        string[] files = ["rocket_launch.jpg", "cat_chelsea.png", "dog_beach.gif", "coffee_exif_orientation6.jpg", "camera_grayscale.png", "cat_bamboo_chair.jpg"];
        byte[][] bytes = [.. files.Select(f => File.ReadAllBytes(Path.Combine(TestAssets.ImagesDir, f)))];
        using LocalOnnxProvider provider = LocalTestModels.Create("siglip2", o => o.ImageBatchSize = 8);

        async Task<int> Stream(int count)
        {
            int succeeded = 0;
            await foreach (EmbeddingResult result in provider.EmbedStreamAsync(Images(bytes, files, count), cancellationToken: TestContext.Current.CancellationToken))
            {
                succeeded += result.Succeeded ? 1 : 0;
            }

            return succeeded;
        }

        // The first few hundred grow the process for good (JIT tiers, pools, native allocator arenas). After that a
        // leak grows every stream alike, while the allocators may still take a one-off step (a new thread's malloc
        // arena, a GC region) in any one of them: the smallest growth of several streams tells the two apart.
        await Stream(300);
        long before = Rss();
        bool linux = OperatingSystem.IsLinux();
        if (linux)
        {
            // Resets VmHWM so that it becomes the peak of the measured streams.
            File.WriteAllText("/proc/self/clear_refs", "5");
        }

        const int Streams = 4, PerStream = 300;
        var growths = new long[Streams];
        long last = before;
        int done = 0;
        var watch = Stopwatch.StartNew();
        for (int i = 0; i < Streams; i++)
        {
            done += await Stream(PerStream);
            long now = Rss();
            growths[i] = now - last;
            last = now;
        }

        watch.Stop();
        long peak = linux ? Status("VmHWM:") : 0;
        output.WriteLine($"{Streams} x {PerStream} images streamed ({files.Length} photos cycled, tiny SigLIP2, batches of 8) in " +
            $"{watch.ElapsedMilliseconds} ms: RSS before {before / 1024} KiB, after {last / 1024} KiB, peak {peak / 1024} KiB; " +
            $"growth per stream {string.Join(", ", growths.Select(g => $"{g / 1024} KiB"))}");
        Assert.Equal(Streams * PerStream, done);
        Assert.True(growths.Min() < 4 * 1024 * 1024, $"every stream of {PerStream} images grew RSS by 4 MiB or more: a leak");
        Assert.True(last - before < 64 * 1024 * 1024, $"RSS grew by {(last - before) / 1024} KiB over {Streams * PerStream} images");
    }

    private static async IAsyncEnumerable<EmbeddingInput> Images(byte[][] bytes, string[] names, int count)
    {
        for (int i = 0; i < count; i++)
        {
            await Task.Yield();
            yield return EmbeddingInput.FromImage(bytes[i % bytes.Length], names[i % names.Length]);
        }
    }

    private static long Rss()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        return process.WorkingSet64;
    }

    private static long Status(string key)
    {
        string line = File.ReadLines("/proc/self/status").First(l => l.StartsWith(key, StringComparison.Ordinal));
        return long.Parse(line[key.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
    }
}
