using Embeddings.TestSupport;

namespace Embeddings.Local;

/// <summary>Image batching, concurrency, per-item errors and model layouts.</summary>
public sealed class LocalOnnxProviderImageTests(ITestOutputHelper output)
{
    private const double Tolerance = 1e-6;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly string[] s_photos =
        ["cat_bamboo_chair.jpg", "landscape_mountains.jpg", "rocket_launch.jpg", "dog_beach.jpg", "food_coffee.png", "coffee_exif_orientation6.jpg",
         "skimage_logo_rgba.png", "camera_grayscale.jpg", "coffee_cmyk.jpg", "chelsea_16bit.png", "landscape_mountains.webp", "dog_beach.gif"];

    private static readonly Lazy<byte[][]> s_bytes = new(() => [.. s_photos.Select(p => File.ReadAllBytes(Path.Combine(TestAssets.ImagesDir, p)))]);

    private static EmbeddingInput Photo(int i) => EmbeddingInput.FromImage(s_bytes.Value[i % s_photos.Length], s_photos[i % s_photos.Length]);

    [Theory]
    [InlineData("siglip2")]
    [InlineData("clip")]
    public async Task EmbedAsync_ImageInBatchesOf2And7And32_EqualsTheImageAlone(string model)
    {
        using LocalOnnxProvider provider = LocalTestModels.Create(model, o => o.ImageBatchSize = 32);
        int[] targets = [0, 5, 9];
        float[][] alone = new float[targets.Length][];
        for (int t = 0; t < targets.Length; t++)
        {
            alone[t] = (await provider.EmbedAsync([Photo(targets[t])], cancellationToken: Ct))[0].Vector.ToArray();
        }

        double worst = 0;
        foreach (int size in new[] { 2, 7, 32 })
        {
            for (int t = 0; t < targets.Length; t++)
            {
                int position = (t * 3) % size;
                EmbeddingInput[] batch = [.. Enumerable.Range(0, size).Select(k => k == position ? Photo(targets[t]) : Photo(targets[t] + 1 + ((k * 7) % 11)))];

                IReadOnlyList<EmbeddingResult> results = await provider.EmbedAsync(batch, cancellationToken: Ct);

                double diff = VectorAssert.MaxAbsDifference(alone[t], results[position].Vector.Span);
                worst = Math.Max(worst, diff);
                Assert.True(diff <= Tolerance, $"{model}: image {targets[t]} at {position} of {size}: max |diff| {diff:E3}");
            }
        }

        output.WriteLine($"{model}: largest difference from the image alone over batches of 2, 7 and 32: {worst:E2}");
    }

    [Fact]
    public async Task EmbedAsync_16ConcurrentCallersWithImagesAndTexts_SameAsSequential()
    {
        LocalOnnxProvider provider = LocalTestModels.Shared("siglip2");
        EmbeddingInput[][] work = [.. Enumerable.Range(0, 16).Select(c => Enumerable.Range(0, 3 + (c % 3))
            .Select(k => k % 2 == 0 ? Photo(c + k) : EmbeddingInput.FromText($"caller {c} text {k}")).ToArray())];
        var sequential = new List<IReadOnlyList<EmbeddingResult>>();
        foreach (EmbeddingInput[] inputs in work)
        {
            sequential.Add(await provider.EmbedAsync(inputs, cancellationToken: Ct));
        }

        IReadOnlyList<EmbeddingResult>[] concurrent = await Task.WhenAll(work.Select(inputs => Task.Run(() => provider.EmbedAsync(inputs, cancellationToken: Ct), Ct)));

        for (int c = 0; c < work.Length; c++)
        {
            for (int i = 0; i < work[c].Length; i++)
            {
                Assert.True(VectorAssert.MaxAbsDifference(sequential[c][i].Vector.Span, concurrent[c][i].Vector.Span) <= Tolerance, $"caller {c}, input {i}");
            }
        }
    }

    [Fact]
    public async Task EmbedAsync_CorruptAndMissingImages_FailAloneWithTypedErrors()
    {
        LocalOnnxProvider provider = LocalTestModels.Shared("siglip2");
        byte[] truncated = s_bytes.Value[0][..2000];
        EmbeddingInput[] inputs =
        [
            Photo(0),
            EmbeddingInput.FromImage(truncated, "truncated.jpg"),
            EmbeddingInput.FromImage(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 }, "noise.bin"),
            EmbeddingInput.FromImageFile(Path.Combine(TestAssets.ImagesDir, "no-such-file.jpg"), "missing.jpg"),
            EmbeddingInput.FromImage(ReadOnlyMemory<byte>.Empty, "empty.png"),
            "a text between images",
            Photo(1),
        ];

        IReadOnlyList<EmbeddingResult> results = await provider.EmbedAsync(inputs, cancellationToken: Ct);

        Assert.True(results[0].Succeeded);
        Assert.True(results[5].Succeeded);
        Assert.True(results[6].Succeeded);
        foreach ((int index, string name) in new[] { (1, "truncated.jpg"), (2, "noise.bin"), (3, "missing.jpg"), (4, "empty.png") })
        {
            EmbeddingInputException error = Assert.IsType<EmbeddingInputException>(results[index].Error);
            Assert.Contains(name, error.Message, StringComparison.Ordinal);
            output.WriteLine($"{name}: {error.Reason}: {error.Message}");
        }

        // The good images are unaffected by the failed ones in their batch.
        float[] alone = (await provider.EmbedAsync([Photo(1)], cancellationToken: Ct))[0].Vector.ToArray();
        Assert.True(VectorAssert.MaxAbsDifference(alone, results[6].Vector.Span) <= Tolerance);
    }

    [Fact]
    public async Task EmbedAsync_ImageLargerThanTheLimit_FailsAsTooLarge()
    {
        using LocalOnnxProvider provider = LocalTestModels.Create("clip", o => o.ImageDecoding.MaxPixels = 1000);

        IReadOnlyList<EmbeddingResult> results = await provider.EmbedAsync([Photo(0)], cancellationToken: Ct);

        Assert.Equal(EmbeddingInputError.TooLarge, Assert.IsType<EmbeddingInputException>(results[0].Error).Reason);
    }

    [Fact]
    public async Task EmbedAsync_CombinedModelOnly_GivesTheTowersVectors()
    {
        // A dual encoder exported as onnx/model.onnx alone: both modalities run through the combined graph.
        using var folder = new TempModelFolder(LocalTestModels.Folder("siglip2"));
        foreach (string tower in Directory.EnumerateFiles(Path.Combine(folder.Path, "onnx"), "*_model*.onnx"))
        {
            File.Delete(tower);
        }

        using LocalOnnxProvider combined = LocalOnnxProvider.Create(folder.Path, LocalTestModels.Options());
        LocalOnnxProvider towers = LocalTestModels.Shared("siglip2");
        EmbeddingInput[] inputs = [Photo(0), "a photo of a cat", Photo(2), "hello"];

        IReadOnlyList<EmbeddingResult> expected = await towers.EmbedAsync(inputs, cancellationToken: Ct);
        IReadOnlyList<EmbeddingResult> actual = await combined.EmbedAsync(inputs, cancellationToken: Ct);

        Assert.Equal(EmbeddingModalities.Text | EmbeddingModalities.Image, combined.Metadata.Modalities);
        for (int i = 0; i < inputs.Length; i++)
        {
            VectorAssert.Close(expected[i].Vector.Span, actual[i].Vector.Span, 0.99999, 1e-5, $"input {i}");
        }
    }

    [Fact]
    public async Task EmbedAsync_TextToImageOnlyModel_FailsAsUnsupportedModality()
    {
        using var folder = new TempModelFolder(LocalTestModels.Folder("clip"));
        File.Delete(Path.Combine(folder.Path, "onnx", "text_model.onnx"));
        File.Delete(Path.Combine(folder.Path, "onnx", "model.onnx"));
        using LocalOnnxProvider provider = LocalOnnxProvider.Create(folder.Path, LocalTestModels.Options());

        IReadOnlyList<EmbeddingResult> results = await provider.EmbedAsync([Photo(0), EmbeddingInput.FromText("hello", "greeting")], cancellationToken: Ct);

        Assert.Equal(EmbeddingModalities.Image, provider.Metadata.Modalities);
        Assert.True(results[0].Succeeded);
        EmbeddingInputException error = Assert.IsType<EmbeddingInputException>(results[1].Error);
        Assert.Equal(EmbeddingInputError.UnsupportedModality, error.Reason);
        Assert.Contains("greeting", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_WithImageModalityOnly_LoadsTheVisionTowerAloneWithTheSameVectors()
    {
        LocalOnnxProvider both = LocalTestModels.Shared("siglip2");
        using LocalOnnxProvider imageOnly = LocalTestModels.Create("siglip2", o => o.Modalities = EmbeddingModalities.Image);

        IReadOnlyList<EmbeddingResult> expected = await both.EmbedAsync([Photo(1)], cancellationToken: Ct);
        IReadOnlyList<EmbeddingResult> actual = await imageOnly.EmbedAsync([Photo(1), EmbeddingInput.FromText("hello", "greeting")], cancellationToken: Ct);

        Assert.Equal(EmbeddingModalities.Image, imageOnly.Metadata.Modalities);
        Assert.Equal(expected[0].Vector.ToArray(), actual[0].Vector.ToArray());
        Assert.Equal(EmbeddingInputError.UnsupportedModality, Assert.IsType<EmbeddingInputException>(actual[1].Error).Reason);
    }

    [Fact]
    public void Create_WithAModalityTheModelLacks_FailsNamingTheOption()
    {
        var error = Assert.Throws<EmbeddingModelException>(
            () => LocalTestModels.Create("minilm", o => o.Modalities = EmbeddingModalities.Image));

        Assert.Contains("LocalOnnxProviderOptions.Modalities", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EmbedAsync_ImageWithDimensionsOrWithoutNormalization_TruncatesOrKeepsThePooledVector()
    {
        LocalOnnxProvider provider = LocalTestModels.Shared("siglip2");

        float[] full = (await provider.EmbedAsync([Photo(3)], cancellationToken: Ct))[0].Vector.ToArray();
        float[] half = (await provider.EmbedAsync([Photo(3)], new EmbeddingRequestOptions { Dimensions = full.Length / 2 }, Ct))[0].Vector.ToArray();
        float[] raw = (await provider.EmbedAsync([Photo(3)], new EmbeddingRequestOptions { Normalize = false }, Ct))[0].Vector.ToArray();

        Assert.Equal(full.Length / 2, half.Length);
        Assert.Equal(1.0, VectorAssert.Norm(half), 5);
        Assert.True(VectorAssert.Cosine(full, raw) > 0.999999);
        Assert.True(Math.Abs(VectorAssert.Norm(raw) - 1) > 1e-3);
    }
}
