using Embeddings.TestSupport;

namespace Embeddings.Local;

/// <summary>
/// Image vectors and zero-shot scores equal transformers.js's on the same pixels (Pillow-made tensors,
/// eng/references/local/pillow_tensors.py), and the full pipeline (our decoding and resizing) matches too.
/// </summary>
public sealed class LocalOnnxProviderImageParityTests(ITestOutputHelper output)
{
    private const double MinCosine = 0.99999;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string> DualEncoders() => ["siglip2", "clip"];

    private static EmbeddingInput ImageFile(string image) => EmbeddingInput.FromImageFile(Path.Combine(TestAssets.ImagesDir, image), image);

    [Theory]
    [MemberData(nameof(DualEncoders))]
    public void RunImageTensors_PillowPixels_EqualTransformersJsOnTheSamePixels(string model)
    {
        LocalOnnxProvider provider = LocalTestModels.Shared(model);
        foreach (string image in LocalReference.Images(model))
        {
            float[] pixels = LocalReference.PillowPixels(model, image);

            float[] raw = provider.RunImageTensors(pixels, 1, Ct)[0];

            float[] expected = LocalReference.Vector(model, "image", "pillow", image, "raw");
            VectorAssert.Close(expected, raw, MinCosine, 1e-5 * Math.Max(1, VectorAssert.Norm(expected)), $"{model} {image} (same pixels)");
        }
    }

    [Theory]
    [MemberData(nameof(DualEncoders))]
    public async Task EmbedAsync_ImageFiles_EqualTransformersJsOnPillowPixels(string model)
    {
        LocalOnnxProvider provider = LocalTestModels.Shared(model);
        IReadOnlyList<string> images = LocalReference.Images(model);

        IReadOnlyList<EmbeddingResult> results = await provider.EmbedAsync([.. images.Select(ImageFile)], cancellationToken: Ct);

        for (int i = 0; i < images.Count; i++)
        {
            float[] actual = results[i].Vector.ToArray();
            double pillow = VectorAssert.Close(LocalReference.Vector(model, "image", "pillow", images[i], "normalized"), actual, MinCosine, 1e-5,
                $"{model} {images[i]} (our decoding and resize vs Pillow's)");
            double own = VectorAssert.Cosine(LocalReference.Vector(model, "image", "transformers_js_preprocessing", images[i]), actual);
            output.WriteLine($"{model} {images[i]}: cosine vs transformers.js on Pillow pixels {pillow:F9} (1 - cosine {1 - pillow:E1}); vs transformers.js's own preprocessing {own:F6}");

            // transformers.js resizes without antialiasing: close, never equal. Reported above; bounded loosely here.
            Assert.True(own > 0.99, $"{model} {images[i]}: cosine {own} against transformers.js's own preprocessing");
        }
    }

    [Theory]
    [MemberData(nameof(DualEncoders))]
    public async Task ClassifyAsync_ImageFiles_EqualTheCombinedModelsScoresOnPillowPixels(string model)
    {
        LocalOnnxProvider provider = LocalTestModels.Shared(model);
        bool siglip = model == "siglip2";
        string[] labels = [.. LocalReference.Element(model, "zero_shot", "labels").EnumerateArray().Select(e => e.GetString()!)];
        string template = LocalReference.Element(model, "zero_shot", "template").GetString()!;
        IReadOnlyList<string> images = LocalReference.Images(model);

        IReadOnlyList<ZeroShotResult> results = await provider.ClassifyAsync(
            [.. images.Select(ImageFile)], labels, new ZeroShotOptions { HypothesisTemplate = template }, Ct);

        double worstLogit = 0, worstScore = 0;
        for (int i = 0; i < images.Count; i++)
        {
            IReadOnlyList<LabelScore> scores = results[i].Scores!;
            Assert.Equal(labels, scores.Select(s => s.Label));
            float[] expectedScores = LocalReference.Vector(model, "zero_shot", "scores", images[i]);
            float[] expectedLogits = LocalReference.Vector(model, "zero_shot", "logits", images[i]);
            float[] pipeline = LocalReference.Vector(model, "zero_shot", "transformers_js_pipeline", images[i]);
            for (int j = 0; j < labels.Length; j++)
            {
                double score = scores[j].Score;
                worstScore = Math.Max(worstScore, Math.Abs(score - expectedScores[j]));
                Assert.True(Math.Abs(score - expectedScores[j]) <= 1e-4, $"{model} {images[i]} '{labels[j]}': {score} vs {expectedScores[j]}");
                if (siglip)
                {
                    // Sigmoid scores of this random model are tiny: compare them as logits.
                    double logit = Math.Log(score) - Math.Log(1 - score);
                    worstLogit = Math.Max(worstLogit, Math.Abs(logit - expectedLogits[j]));
                    Assert.True(Math.Abs(logit - expectedLogits[j]) <= 2e-3, $"{model} {images[i]} '{labels[j]}': logit {logit} vs {expectedLogits[j]}");
                }
            }

            output.WriteLine($"{model} {images[i]}: ours [{string.Join(' ', scores.Select(s => s.Score.ToString("F4")))}] " +
                $"transformers.js pipeline (own preprocessing) [{string.Join(' ', pipeline.Select(s => s.ToString("F4")))}]");
        }

        output.WriteLine($"{model}: largest score difference {worstScore:E2}" + (siglip ? $", largest logit difference {worstLogit:E2}" : ""));
    }

    [Fact]
    public async Task ClassifyAsync_SameLabelsTwice_ReusesTheLabelVectors()
    {
        using LocalOnnxProvider provider = LocalTestModels.Create("siglip2");
        EmbeddingInput image = ImageFile("cat_bamboo_chair.jpg");

        IReadOnlyList<LabelScore> first = await provider.ClassifyAsync(image, ["cat", "dog"], cancellationToken: Ct);
        int cached = provider.CachedLabelCount;
        IReadOnlyList<LabelScore> second = await provider.ClassifyAsync(image, ["dog", "cat"], cancellationToken: Ct);

        Assert.Equal(2, cached);
        Assert.Equal(2, provider.CachedLabelCount);
        Assert.Equal(first[0].Score, second[1].Score);
        Assert.Equal(first[1].Score, second[0].Score);
    }
}
