using BenchmarkDotNet.Attributes;
using Embeddings.Imaging;

namespace Embeddings.Benchmarks.Imaging;

/// <summary>Where the time of <see cref="ImagePreprocessingBenchmarks"/> goes: the libvips decode alone, and the
/// Pillow-exact resize to 224x224 alone (vector and scalar code), for the same images.</summary>
public class ImageStageBenchmarks
{
    private LibvipsImageDecoder _decoder = null!;
    private byte[] _encoded = null!;
    private RgbImage _decoded = null!;
    private byte[] _resized = null!;

    [Params("1920px", "4000px")]
    public string Image { get; set; } = string.Empty;

    [Params(ImageResampling.Bilinear, ImageResampling.Bicubic)]
    public ImageResampling Resample { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _decoder = new LibvipsImageDecoder();
        _encoded = File.ReadAllBytes(Path.Combine(BenchmarkAssets.ImagesDir, ImagePreprocessingBenchmarks.FileOf(Image)));
        _decoded = _decoder.Decode(_encoded, Image);
        _resized = new byte[224 * 224 * 3];
    }

    [Benchmark]
    public void Decode()
    {
        using RentedRgbImage image = _decoder.DecodeRented(_encoded, Image);
    }

    [Benchmark]
    public void ResizeAvx2() =>
        PillowResampler.Resize(_decoded.Pixels.Span, _decoded.Width, _decoded.Height, _resized, 224, 224, Resample, ResampleCode.Avx2);

    [Benchmark]
    public void ResizeVector128() =>
        PillowResampler.Resize(_decoded.Pixels.Span, _decoded.Width, _decoded.Height, _resized, 224, 224, Resample, ResampleCode.Vector128);

    [Benchmark]
    public void ResizeScalar() =>
        PillowResampler.Resize(_decoded.Pixels.Span, _decoded.Width, _decoded.Height, _resized, 224, 224, Resample, ResampleCode.Scalar);
}
