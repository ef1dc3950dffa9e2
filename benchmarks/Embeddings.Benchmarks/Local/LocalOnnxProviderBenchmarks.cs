using BenchmarkDotNet.Attributes;
using Embeddings.Imaging;
using Embeddings.Local;

namespace Embeddings.Benchmarks.Local;

/// <summary>
/// <see cref="LocalOnnxProvider"/> end to end against its own parts, on one model: 16 photos (JPEG bytes, the 1920 px
/// testdata photos) to normalized vectors, against inference alone on the same ready-made tensors (the baseline) and
/// preprocessing alone; and 64 sentences through a text model. Tiny models by default (fast, for the overheads);
/// set <c>EMBEDDINGS_BENCH_MODELS=full</c> for the full-size generated ones (minutes per case on 2 cores).
/// The peer comparison is the side-by-side harness (benchmarks/run.sh).
/// </summary>
[MemoryDiagnoser]
public class LocalOnnxProviderBenchmarks
{
    private const int Images = 16;

    private LocalOnnxProvider _vision = null!;
    private LocalOnnxProvider _text = null!;
    private EmbeddingInput[] _images = [];
    private EmbeddingInput[] _sentences = [];
    private float[] _tensors = [];
    private int _tensorLength;

    [GlobalSetup]
    public void Setup()
    {
        string size = Environment.GetEnvironmentVariable("EMBEDDINGS_BENCH_MODELS") ?? "tiny";
        var options = new LocalOnnxProviderOptions { ImageBatchSize = 8, TextBatchSize = 32 };
        options.ModelSource.Offline = true;
        options.Runtime.IntraOpThreads = Environment.ProcessorCount;
        options.Runtime.InterOpThreads = 1;

        // The generated benchmark app lives elsewhere; load the natives the repository fetched.
        string native = Path.Combine(BenchmarkAssets.RepoRoot, "artifacts", "native", "linux-x64");
        options.Runtime.LibraryPath = native;
        options.ImageDecoding.LibvipsPath = Directory.EnumerateFiles(native, "libvips-cpp.so.*").First();

        _vision = LocalOnnxProvider.Create(BenchmarkAssets.ModelDir(size, size == "tiny" ? "siglip2" : "siglip2-base-patch16-224"), options);
        _text = LocalOnnxProvider.Create(BenchmarkAssets.ModelDir(size, size == "tiny" ? "embeddinggemma" : "embeddinggemma-300m"), options);

        string[] photos = ["landscape_mountains.jpg", "building_city_skyline.jpg", "cat_bamboo_chair.jpg"];
        byte[][] bytes = [.. photos.Select(p => File.ReadAllBytes(Path.Combine(BenchmarkAssets.ImagesDir, p)))];
        _images = [.. Enumerable.Range(0, Images).Select(i => EmbeddingInput.FromImage(bytes[i % bytes.Length], photos[i % photos.Length]))];
        ImagePreprocessor preprocessor = _vision.Image!.Preprocessor;
        _tensorLength = preprocessor.TensorLength;
        _tensors = new float[Images * _tensorLength];
        preprocessor.PreprocessBatch(_images, _tensors);

        var random = new Random(5);
        string[] words = ["the", "river", "engine", "quiet", "harbour", "bright", "stone", "market", "signal", "garden", "winter", "paper"];
        _sentences = [.. Enumerable.Range(0, 64).Select(_ => EmbeddingInput.FromText(string.Join(' ', Enumerable.Range(0, random.Next(10, 40)).Select(_ => words[random.Next(words.Length)]))))];
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _vision.Dispose();
        _text.Dispose();
    }

    [Benchmark(Baseline = true, Description = "16 images: inference alone (ready-made tensors)")]
    public float[][] ImagesInferenceAlone()
    {
        float[][] last = [];
        for (int start = 0; start < Images; start += 8)
        {
            last = _vision.RunImageTensors(_tensors.AsMemory(start * _tensorLength, 8 * _tensorLength), 8);
        }

        return last;
    }

    [Benchmark(Description = "16 images: end to end (JPEG bytes -> vectors)")]
    public Task<IReadOnlyList<EmbeddingResult>> ImagesEndToEnd() => _vision.EmbedAsync(_images);

    [Benchmark(Description = "16 images: preprocessing alone (one thread)")]
    public IReadOnlyList<EmbeddingInputException?> ImagesPreprocessingAlone() => _vision.Image!.Preprocessor.PreprocessBatch(_images, _tensors);

    [Benchmark(Description = "64 sentences: EmbeddingGemma end to end")]
    public Task<IReadOnlyList<EmbeddingResult>> Texts() => _text.EmbedAsync(_sentences);
}
