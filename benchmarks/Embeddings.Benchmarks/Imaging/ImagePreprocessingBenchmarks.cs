using BenchmarkDotNet.Attributes;
using Embeddings.Imaging;

namespace Embeddings.Benchmarks.Imaging;

/// <summary>
/// Encoded JPEG bytes to a 224x224 pixel_values tensor (decode, EXIF/RGB, resize, rescale, normalize, CHW), one
/// image at a time on one thread (libvips runs with one worker). <see cref="Exact"/> gives Pillow's output;
/// <see cref="ShrinkOnLoad"/> is the opt-in fast path. benchmarks/imaging/run.sh runs this next to Pillow and sharp.
/// </summary>
public class ImagePreprocessingBenchmarks
{
    private ImagePreprocessor _exact = null!;
    private ImagePreprocessor _fast = null!;
    private EmbeddingInput _input = null!;
    private float[] _tensor = null!;

    /// <summary>Gets or sets the test image: the 1920 px progressive photo (landscape_mountains.jpg) or its 4000 px
    /// baseline re-encode (landscape_mountains_4000px.jpg).</summary>
    [Params("1920px", "4000px")]
    public string Image { get; set; } = string.Empty;

    /// <summary>Gets or sets the filter: bilinear (SigLIP2) or bicubic (SigLIP, CLIP).</summary>
    [Params(ImageResampling.Bilinear, ImageResampling.Bicubic)]
    public ImageResampling Resample { get; set; }

    internal static string FileOf(string image) => image == "4000px" ? "landscape_mountains_4000px.jpg" : "landscape_mountains.jpg";

    [GlobalSetup]
    public void Setup()
    {
        var config = new ImagePreprocessorConfig { ImageProcessorType = "SiglipImageProcessor", ResizeHeight = 224, ResizeWidth = 224, Resample = Resample };
        _exact = new ImagePreprocessor(config);
        _fast = new ImagePreprocessor(config, new ImageDecoderOptions { ShrinkOnLoad = true });
        _input = EmbeddingInput.FromImage(File.ReadAllBytes(Path.Combine(BenchmarkAssets.ImagesDir, FileOf(Image))), Image);
        _tensor = new float[_exact.TensorLength];
    }

    [Benchmark(Baseline = true)]
    public void Exact() => _exact.Preprocess(_input, _tensor);

    [Benchmark]
    public void ShrinkOnLoad() => _fast.Preprocess(_input, _tensor);
}
