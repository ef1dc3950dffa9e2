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

        // The first few hundred grow the process for good (JIT tiers, pools, native allocator arenas); the first measured
        // stream may still settle the allocators, so flatness is judged on the second: a leak shows in both.
        await Stream(300);
        long before = Rss();
        bool linux = OperatingSystem.IsLinux();
        if (linux)
        {
            // Resets VmHWM so that it becomes the peak of the measured streams.
            File.WriteAllText("/proc/self/clear_refs", "5");
        }

        var watch = Stopwatch.StartNew();
        int done = await Stream(600);
        long middle = Rss();
        done += await Stream(600);
        watch.Stop();
        long peak = linux ? Status("VmHWM:") : 0;
        long after = Rss();

        output.WriteLine($"2 x 600 images streamed ({files.Length} photos cycled, tiny SigLIP2, batches of 8) in {watch.ElapsedMilliseconds} ms: " +
            $"RSS before {before / 1024} KiB, after the first {middle / 1024} KiB, after the second {after / 1024} KiB, peak {peak / 1024} KiB");
        Assert.Equal(1200, done);
        Assert.True(after - middle < 16 * 1024 * 1024, $"RSS grew by {(after - middle) / 1024} KiB over the second 600 images");
        Assert.True(after - before < 48 * 1024 * 1024, $"RSS grew by {(after - before) / 1024} KiB over 1,200 images");
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
