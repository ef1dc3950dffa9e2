using Embeddings.TestSupport;

namespace Embeddings.Local;

/// <summary>Aspect embeddings: projections onto the span of each aspect's label vectors.</summary>
public sealed class LocalOnnxProviderAspectTests(ITestOutputHelper output)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly string[] s_photos = ["cat_bamboo_chair.jpg", "landscape_mountains.jpg", "rocket_launch.jpg", "food_coffee.png"];

    private static EmbeddingInput Photo(string name) => EmbeddingInput.FromImageFile(Path.Combine(TestAssets.ImagesDir, name), name);

    [Theory]
    [InlineData("siglip2")]
    [InlineData("clip")]
    public async Task EmbedAspectsAsync_BuiltInAspects_DifferFromEachOtherUnlikeThePythonMix(string model)
    {
        LocalOnnxProvider provider = LocalTestModels.Shared(model);

        IReadOnlyList<ImageAspectsResult> results = await provider.EmbedAspectsAsync([.. s_photos.Select(Photo)], cancellationToken: Ct);
        float[][] pythonMix = await PythonMixAsync(provider);

        double highestOurs = -1;
        double lowestPython = 1;
        double sumOurs = 0, sumPython = 0, sumOursToImage = 0, sumPythonToImage = 0;
        int pairs = 0, count = 0;
        for (int i = 0; i < s_photos.Length; i++)
        {
            ImageAspectsResult result = results[i];
            Assert.True(result.Succeeded);
            IReadOnlyList<AspectEmbedding> aspects = result.Aspects!;
            Assert.Equal(["color", "texture", "material", "style"], aspects.Select(a => a.Aspect));
            foreach (AspectEmbedding aspect in aspects)
            {
                Assert.Equal(1.0, VectorAssert.Norm(aspect.Vector.Span), 5);
                Assert.Equal(ImageAspect.BuiltIn.Single(a => a.Name == aspect.Aspect).Labels, aspect.Scores.Select(s => s.Label));
            }

            for (int a = 0; a < aspects.Count; a++)
            {
                for (int b = a + 1; b < aspects.Count; b++)
                {
                    double ours = VectorAssert.Cosine(aspects[a].Vector.Span, aspects[b].Vector.Span);
                    double python = VectorAssert.Cosine(pythonMix[(i * 4) + a], pythonMix[(i * 4) + b]);
                    highestOurs = Math.Max(highestOurs, ours);
                    lowestPython = Math.Min(lowestPython, python);
                    sumOurs += ours;
                    sumPython += python;
                    pairs++;
                }

                sumOursToImage += VectorAssert.Cosine(aspects[a].Vector.Span, result.Embedding.Span);
                sumPythonToImage += VectorAssert.Cosine(pythonMix[(i * 4) + a], result.Embedding.Span);
                count++;
            }
        }

        output.WriteLine($"{model}: cosine between two aspects of one image: projection mean {sumOurs / pairs:F4} (highest {highestOurs:F4}); " +
            $"Python text-guided mix mean {sumPython / pairs:F4} (lowest {lowestPython:F4})");
        output.WriteLine($"{model}: cosine of an aspect with the image's own vector: projection mean {sumOursToImage / count:F4}; " +
            $"Python text-guided mix mean {sumPythonToImage / count:F4}");

        // Tiny random 32-dimension models give the projections little room (each aspect spans ~14 of 32 dimensions);
        // still, every pair of projected aspects is further apart than every pair of the Python mix.
        Assert.True(highestOurs < lowestPython, "projection separates aspects more than the 0.7/0.3 mix did");
        Assert.True(sumOurs / pairs < (sumPython / pairs) - 0.05, "projected aspects are, on average, clearly less alike than the mix");
    }

    [Fact]
    public async Task EmbedAspectsAsync_CustomAspect_ScoresAreCosinesWithTheLabelTexts()
    {
        LocalOnnxProvider provider = LocalTestModels.Shared("siglip2");
        var pattern = new ImageAspect("pattern", ["stripes", "dots", "checks"], "a {} pattern");

        ImageAspectsResult result = (await provider.EmbedAspectsAsync([Photo(s_photos[0])], [pattern], Ct))[0];
        float[][] labels = await LocalTestModels.EmbedTextsAsync(provider, ["a stripes pattern", "a dots pattern", "a checks pattern"]);

        AspectEmbedding aspect = Assert.Single(result.Aspects!);
        for (int j = 0; j < 3; j++)
        {
            Assert.Equal(VectorAssert.Cosine(result.Embedding.Span, labels[j]), aspect.Scores[j].Score, 5);
        }

        // The aspect vector lies in the span of the three label vectors: projecting it again changes nothing.
        float[] again = AspectBasis.Create(labels).Project(aspect.Vector.Span);
        Assert.True(VectorAssert.Cosine(aspect.Vector.Span, again) > 0.99999);
    }

    [Fact]
    public async Task EmbedAspectsAsync_BadImageAndTextInput_FailAlone()
    {
        LocalOnnxProvider provider = LocalTestModels.Shared("clip");

        IReadOnlyList<ImageAspectsResult> results = await provider.EmbedAspectsAsync(
            [Photo(s_photos[1]), EmbeddingInput.FromImage(new byte[] { 9, 9, 9 }, "junk"), EmbeddingInput.FromText("not an image")], cancellationToken: Ct);

        Assert.True(results[0].Succeeded);
        Assert.IsType<EmbeddingInputException>(results[1].Error);
        Assert.Equal(EmbeddingInputError.UnsupportedModality, Assert.IsType<EmbeddingInputException>(results[2].Error).Reason);
    }

    [Fact]
    public void ImageAspect_InvalidDefinitions_Throw()
    {
        Assert.Throws<ArgumentException>(() => new ImageAspect("x", []));
        Assert.Throws<ArgumentException>(() => new ImageAspect("x", ["ok", " "]));
        Assert.Throws<ArgumentException>(() => new ImageAspect(" ", ["ok"]));
        Assert.Equal(4, ImageAspect.BuiltIn.Count);
    }

    /// <summary>
    /// The Python system's third version (seeds.md §1.5), per image and aspect: 0.7·image_features +
    /// 0.3·text_features·cos(image, text) over the raw (unnormalized) features and its fixed prompt, then normalized.
    /// </summary>
    private static async Task<float[][]> PythonMixAsync(LocalOnnxProvider provider)
    {
        string[] prompts =
        [
            "focus on color palette and color relationships",
            "focus on surface patterns and texture details",
            "focus on material type and physical properties",
            "focus on design style and aesthetic elements",
        ];
        var raw = new EmbeddingRequestOptions { Normalize = false };
        float[][] text = await LocalTestModels.EmbedTextsAsync(provider, prompts, raw);
        IReadOnlyList<EmbeddingResult> images = await provider.EmbedAsync([.. s_photos.Select(Photo)], raw, Ct);
        var mixed = new List<float[]>();
        foreach (EmbeddingResult image in images)
        {
            float[] v = image.Vector.ToArray();
            foreach (float[] t in text)
            {
                double sim = VectorAssert.Cosine(v, t);
                float[] guided = [.. v.Select((x, k) => (float)((0.7 * x) + (0.3 * t[k] * sim)))];
                double norm = VectorAssert.Norm(guided);
                mixed.Add([.. guided.Select(x => (float)(x / norm))]);
            }
        }

        return [.. mixed];
    }
}
