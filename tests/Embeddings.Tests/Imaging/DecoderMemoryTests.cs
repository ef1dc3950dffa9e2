using System.Diagnostics;

namespace Embeddings.Imaging;

[Collection(nameof(MemoryMeasurementCollection))]
public sealed class DecoderMemoryTests(ITestOutputHelper output)
{
    private const string Name = "upload-42";

    [Fact]
    public void Decode_TenThousandBadInputs_KeepsMemoryFlat()
    {
        // The cheap failures plus a truncated photo whose decode starts and then fails, cycled.
        (string Name, byte[] Data, EmbeddingInputError[] Reasons)[] bad =
            [.. BadImages.All().Where(b => !b.Name.StartsWith("landscape", StringComparison.Ordinal) && !b.Name.Contains("cut at", StringComparison.Ordinal)),
             .. BadImages.All().Where(b => b.Name.StartsWith("camera_grayscale.jpg cut at", StringComparison.Ordinal))];
        var decoder = new LibvipsImageDecoder();
        int failures = 0;
        void Run(int count)
        {
            for (int i = 0; i < count; i++)
            {
                try
                {
                    decoder.Decode(bad[i % bad.Length].Data, Name);
                }
                catch (EmbeddingInputException)
                {
                    failures++;
                }
            }
        }

        // The runtime itself settles over the first few thousand failures (JIT tiers, GC budgets); measured in a
        // separate program, RSS is flat from about 10,000 on, through 120,000.
        Run(10_000);
        long before = Rss();
        var watch = Stopwatch.StartNew();
        Run(10_000);
        watch.Stop();
        long after = Rss();

        output.WriteLine($"10,000 bad inputs ({bad.Length} kinds) in {watch.ElapsedMilliseconds} ms: RSS before {before / 1024} KiB, after {after / 1024} KiB, growth {(after - before) / 1024} KiB");
        Assert.Equal(20_000, failures);
        Assert.True(after - before < 16 * 1024 * 1024, $"RSS grew by {(after - before) / 1024} KiB");
    }

    [Fact]
    public void Preprocess_HundredsOfImages_KeepsMemoryFlat()
    {
        // Good images through the whole pipeline (streaming resize, pooled buffers, native strips freed).
        string[] files = ["rocket_launch.jpg", "cat_chelsea.png", "dog_beach.gif", "coffee_exif_orientation6.jpg", "camera_grayscale.png"];
        EmbeddingInput[] inputs = [.. files.Select(f => EmbeddingInput.FromImage(File.ReadAllBytes(Path.Combine(TestSupport.TestAssets.ImagesDir, f)), f))];
        var preprocessor = new ImagePreprocessor(ImagePreprocessorConfig.Parse("""{"image_processor_type": "SiglipImageProcessor", "size": {"height": 224, "width": 224}, "resample": 2}"""));
        float[] tensor = new float[preprocessor.TensorLength];
        void Run(int count)
        {
            for (int i = 0; i < count; i++)
            {
                preprocessor.Preprocess(inputs[i % inputs.Length], tensor);
            }
        }

        Run(300);
        long before = Rss();
        var watch = Stopwatch.StartNew();
        Run(600);
        watch.Stop();
        long after = Rss();

        output.WriteLine($"600 images ({inputs.Length} kinds) in {watch.ElapsedMilliseconds} ms: RSS before {before / 1024} KiB, after {after / 1024} KiB, growth {(after - before) / 1024} KiB");
        Assert.True(after - before < 16 * 1024 * 1024, $"RSS grew by {(after - before) / 1024} KiB");
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
}
