#:project ../../src/Embeddings/Embeddings.csproj
#:property PublishAot=false

// This library's timing for benchmarks/imaging/run.sh: encoded JPEG bytes -> 224x224 pixel_values, one thread
// (libvips runs with one worker), the exact path (Pillow's output) and the shrink-on-load fast path.
// Prints one JSON object per case: wall-clock and process CPU time (all threads) per image. Usage: dotnet run ours_bench.cs -- <min seconds> <min runs> <file>...
using System.Diagnostics;
using System.Text.Json;
using Embeddings;
using Embeddings.Imaging;

double minSeconds = double.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture);
int minRuns = int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture);
foreach (string file in args[2..])
{
    EmbeddingInput input = EmbeddingInput.FromImage(File.ReadAllBytes(file), Path.GetFileName(file));
    foreach (ImageResampling resample in new[] { ImageResampling.Bilinear, ImageResampling.Bicubic })
    {
        foreach (bool fast in new[] { false, true })
        {
            var config = new ImagePreprocessorConfig { ImageProcessorType = "SiglipImageProcessor", ResizeHeight = 224, ResizeWidth = 224, Resample = resample };
            var preprocessor = new ImagePreprocessor(config, new ImageDecoderOptions { ShrinkOnLoad = fast });
            float[] tensor = new float[preprocessor.TensorLength];
            for (int i = 0; i < 3; i++)
            {
                preprocessor.Preprocess(input, tensor); // warm-up (JIT tiers)
            }

            var times = new List<double>();
            var cpu = new List<double>();
            var total = Stopwatch.StartNew();
            while (times.Count < minRuns || total.Elapsed.TotalSeconds < minSeconds)
            {
                long start = Stopwatch.GetTimestamp();
                TimeSpan cpuStart = Environment.CpuUsage.TotalTime;
                preprocessor.Preprocess(input, tensor);
                cpu.Add((Environment.CpuUsage.TotalTime - cpuStart).TotalMilliseconds);
                times.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }

            times.Sort();
            cpu.Sort();
            Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["lib"] = fast ? "ours (shrink-on-load)" : "ours (exact)",
                ["image"] = Path.GetFileName(file),
                ["resample"] = resample.ToString(),
                ["median_ms"] = times[times.Count / 2],
                ["min_ms"] = times[0],
                ["cpu_median_ms"] = cpu[cpu.Count / 2],
                ["runs"] = times.Count,
            }));
        }
    }
}
