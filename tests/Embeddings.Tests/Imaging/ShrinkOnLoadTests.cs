using System.Numerics.Tensors;
using Embeddings.TestSupport;

namespace Embeddings.Imaging;

/// <summary>
/// The opt-in shrink-on-load fast path trades exactness for speed: these tests measure how far it moves the resized
/// pixels and the final tensors from the exact (Pillow) path, and bound it. The printed figures are the ones quoted
/// in benchmarks/README.md.
/// </summary>
public sealed class ShrinkOnLoadTests(ITestOutputHelper output)
{
    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (string image in new[] { "landscape_mountains_4000px.jpg", "landscape_mountains.jpg", "building_city_skyline.jpg", "cat_bamboo_chair.jpg", "dog_beach.jpg" })
        {
            foreach (string config in new[] { "siglip2-bilinear-224", "siglip-bicubic-224", "siglip2-bilinear-384", "clip-224" })
            {
                data.Add(image, config);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Preprocess_ShrinkOnLoad_StaysWithinTheDocumentedDeviation(string image, string configName)
    {
        string path = Path.Combine(TestAssets.ImagesDir, image);
        ImagePreprocessorConfig config = ImagePreprocessorConfig.Load(PillowReference.ConfigPath(configName));
        var exact = new ImagePreprocessor(config);
        var fast = new ImagePreprocessor(config, new ImageDecoderOptions { ShrinkOnLoad = true });
        byte[] encoded = File.ReadAllBytes(path);

        using RentedRgbImage exactImage = exact.Decode(EmbeddingInput.FromImage(encoded));
        using RentedRgbImage fastImage = fast.Decode(EmbeddingInput.FromImage(encoded));
        (int width, int height) = config.ResizeTarget(exactImage.Width, exactImage.Height);
        int shrink = LibvipsImageDecoder.ChooseShrink(exactImage.Width, exactImage.Height, width, height);
        (int exactWidth, int exactHeight, byte[] exactPixels) = exact.ResizeOnly(exactImage);
        (int fastWidth, int fastHeight, byte[] fastPixels) = fast.ResizeOnly(fastImage, (width, height));
        float[] exactTensor = new float[exact.TensorLength];
        float[] fastTensor = new float[fast.TensorLength];
        exact.Preprocess(EmbeddingInput.FromImage(encoded), exactTensor);
        fast.Preprocess(EmbeddingInput.FromImage(encoded), fastTensor);

        float cosine = TensorPrimitives.CosineSimilarity(exactTensor, fastTensor);
        string pixels = "resized sizes differ by the rounding of the reduced decode, compared after the crop only";
        double mean = 0;
        if ((exactWidth, exactHeight) == (fastWidth, fastHeight))
        {
            ByteDifference difference = ByteDifference.Of(exactPixels, fastPixels);
            mean = exactPixels.Zip(fastPixels, (a, b) => (double)Math.Abs(a - b)).Average();
            pixels = $"resized pixels vs exact: max |d| {difference.Max}, mean |d| {mean:F3}, |d|>1 in {100.0 * difference.More / difference.Total:F1}%";
        }

        output.WriteLine(
            $"{image} {configName}: decoded at 1/{shrink} ({fastImage.Width}x{fastImage.Height} instead of {exactImage.Width}x{exactImage.Height}); {pixels}; tensor cosine {cosine:F6}");

        if (shrink == 1)
        {
            Assert.Equal(exactTensor, fastTensor);
            return;
        }

        Assert.InRange(fastImage.Width, exactImage.Width / shrink, (exactImage.Width / shrink) + 1);
        Assert.True(cosine >= 0.999f, $"cosine {cosine}");
        Assert.True(mean < 2.0, $"mean |d| {mean}");
    }
}
