namespace Embeddings.Imaging;

/// <summary>
/// Parity with the Python path (Pillow 9.4 load_image + the slow SigLIP/CLIP image processors) on every image in
/// testdata/images and on edge-case inputs written by Pillow (eng/references/imaging/generate.sh). Decoding, the
/// resize alone (fed Pillow's own decoded pixels) and the whole pipeline are each compared with Pillow's output.
/// </summary>
public sealed class PillowParityTests(ITestOutputHelper output)
{
    private const float TensorTolerance = 1 / 127.5f;

    public static TheoryData<string> Images => [.. PillowReference.Keys()];

    [Theory]
    [MemberData(nameof(Images))]
    public void Decode_ReferenceImage_EqualsPillowLoadImage(string key)
    {
        var decoder = new LibvipsImageDecoder();
        RgbImage expected = PillowReference.Decoded(key);

        RgbImage actual = decoder.Decode(File.ReadAllBytes(PillowReference.InputPath(key)), key);

        Assert.Equal((expected.Width, expected.Height), (actual.Width, actual.Height));
        ByteDifference difference = ByteDifference.Of(expected.Pixels.Span, actual.Pixels.Span);
        output.WriteLine($"{key} ({PillowReference.Entry(key).GetProperty("mode").GetString()}, {actual.Width}x{actual.Height}) decoded vs Pillow {PillowReference.PillowVersion}: {difference}");
        Assert.Equal(0, difference.Max);
    }

    [Theory]
    [MemberData(nameof(Images))]
    public void Decode_TransparentImageWithWhiteBackground_EqualsPillowAlphaComposite(string key)
    {
        if (!PillowReference.Entry(key).TryGetProperty("compositedOverWhite", out _))
        {
            output.WriteLine($"{key} has no transparency; nothing to composite.");
            return;
        }

        var decoder = new LibvipsImageDecoder(new ImageDecoderOptions { AlphaBackground = System.Drawing.Color.White });
        RgbImage expected = PillowReference.Decoded(key, compositedOverWhite: true);

        RgbImage actual = decoder.Decode(File.ReadAllBytes(PillowReference.InputPath(key)), key);

        ByteDifference difference = ByteDifference.Of(expected.Pixels.Span, actual.Pixels.Span);
        output.WriteLine($"{key} composited over white vs Pillow alpha_composite: {difference}");
        Assert.Equal(0, difference.Max);
    }

    [Theory]
    [MemberData(nameof(Images))]
    public void Resize_PillowDecodedPixels_EqualsPillowResize(string key)
    {
        // Pillow's own decoded pixels go in, so only the resize is compared; both code paths must match.
        RgbImage source = PillowReference.Decoded(key);
        foreach (string caseName in PillowReference.Cases(key))
        {
            ImagePreprocessorConfig config = ImagePreprocessorConfig.Load(PillowReference.ConfigPath(caseName));
            RgbImage expected = PillowReference.Resized(key, caseName);
            (int width, int height) = config.ResizeTarget(source.Width, source.Height);
            Assert.Equal((expected.Width, expected.Height), (width, height));

            foreach (ResampleCode code in new[] { ResampleCode.Avx2, ResampleCode.Vector128, ResampleCode.Scalar })
            {
                byte[] actual = new byte[width * height * 3];
                PillowResampler.Resize(source.Pixels.Span, source.Width, source.Height, actual, width, height, config.Resample, code);

                ByteDifference difference = ByteDifference.Of(expected.Pixels.Span, actual);
                output.WriteLine($"{key} {caseName} ({config.Resample}, {source.Width}x{source.Height} -> {width}x{height}, {code}): {difference}");
                Assert.True(difference.Max <= 1, $"{key} {caseName}: {difference}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Images))]
    public void Preprocess_ReferenceImageFile_MatchesPythonPixelValues(string key)
    {
        string path = PillowReference.InputPath(key);
        int compared = 0;
        foreach (string caseName in PillowReference.Cases(key))
        {
            float[]? expected = PillowReference.Tensor(key, caseName);
            if (expected is null)
            {
                continue;
            }

            compared++;

            var preprocessor = new ImagePreprocessor(ImagePreprocessorConfig.Load(PillowReference.ConfigPath(caseName)));
            Assert.Equal(expected.Length, preprocessor.TensorLength);
            float[] actual = new float[preprocessor.TensorLength];

            preprocessor.Preprocess(EmbeddingInput.FromImageFile(path), actual);

            (float max, long exact) = Compare(expected, actual);
            output.WriteLine($"{key} {caseName} pixel_values ({preprocessor.OutputWidth}x{preprocessor.OutputHeight}): max |d| {max:G9}, {exact}/{expected.Length} bit-identical");
            Assert.True(max <= TensorTolerance, $"{key} {caseName}: max |d| {max}");
        }

        // The generator stores at least one tensor per image; none found means the references are incomplete.
        Assert.True(compared > 0, $"{key}: no pixel_values reference was found.");
    }

    private static (float Max, long Exact) Compare(float[] expected, float[] actual)
    {
        float max = 0;
        long exact = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            float d = Math.Abs(expected[i] - actual[i]);
            max = Math.Max(max, d);
            exact += BitConverter.SingleToInt32Bits(expected[i]) == BitConverter.SingleToInt32Bits(actual[i]) ? 1 : 0;
        }

        return (max, exact);
    }
}
