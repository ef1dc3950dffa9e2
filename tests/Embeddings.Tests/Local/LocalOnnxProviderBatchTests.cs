namespace Embeddings.Local;

/// <summary>A vector does not depend on its batch neighbours, the batch size or concurrent callers.</summary>
public sealed class LocalOnnxProviderBatchTests(ITestOutputHelper output)
{
    private const double Tolerance = 1e-6;

    private static readonly string[] s_targets =
    [
        "A photo of a cat sitting on a bamboo chair.",
        "hi",
        "Rocket launches at dawn over the Atlantic; thousands watch from the beach.",
    ];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string> TextModels() => ["siglip2", "embeddinggemma", "minilm", "clip"];

    /// <summary>Neighbours of many lengths (so batches pad differently), deterministic.</summary>
    private static List<string> Neighbours(int count, int seed)
    {
        var random = new Random(seed);
        string[] words = ["river", "stone", "quiet", "engine", "violet", "harbour", "seven", "lantern", "über", "東京", "🚀", "glass"];
        return [.. Enumerable.Range(0, count).Select(_ => string.Join(' ', Enumerable.Range(0, random.Next(1, 60)).Select(_ => words[random.Next(words.Length)])))];
    }

    [Theory]
    [MemberData(nameof(TextModels))]
    public async Task EmbedAsync_TextInBatchesOf2And7And32_EqualsTheTextAlone(string model)
    {
        LocalOnnxProvider provider = LocalTestModels.Shared(model);
        float[][] alone = [.. await Task.WhenAll(s_targets.Select(async t => (await LocalTestModels.EmbedTextsAsync(provider, [t]))[0]))];

        double worst = 0;
        foreach (int size in new[] { 2, 7, 32 })
        {
            for (int t = 0; t < s_targets.Length; t++)
            {
                List<string> batch = Neighbours(size - 1, seed: (size * 31) + t);
                int position = (t * 5) % size;
                batch.Insert(position, s_targets[t]);

                float[][] vectors = await LocalTestModels.EmbedTextsAsync(provider, batch);

                double diff = VectorAssert.MaxAbsDifference(alone[t], vectors[position]);
                worst = Math.Max(worst, diff);
                Assert.True(diff <= Tolerance, $"{model}: text {t} at position {position} of a batch of {size}: max |diff| {diff:E3}");
            }
        }

        output.WriteLine($"{model}: largest difference from the text alone over batches of 2, 7 and 32: {worst:E2}");
    }

    [Fact]
    public async Task EmbedAsync_SmallTextBatchSize_SameVectorsAsOneBatch()
    {
        using LocalOnnxProvider small = LocalTestModels.Create("embeddinggemma", o => o.TextBatchSize = 3);
        List<string> texts = Neighbours(20, seed: 7);

        float[][] expected = await LocalTestModels.EmbedTextsAsync(LocalTestModels.Shared("embeddinggemma"), texts);
        float[][] actual = await LocalTestModels.EmbedTextsAsync(small, texts);

        for (int i = 0; i < texts.Count; i++)
        {
            Assert.True(VectorAssert.MaxAbsDifference(expected[i], actual[i]) <= Tolerance, $"text {i}");
        }
    }

    [Theory]
    [InlineData("embeddinggemma")]
    [InlineData("siglip2")]
    public async Task EmbedAsync_16ConcurrentCallers_SameVectorsAsSequentialCalls(string model)
    {
        LocalOnnxProvider provider = LocalTestModels.Shared(model);
        List<string>[] work = [.. Enumerable.Range(0, 16).Select(i => Neighbours(5 + (i % 4), seed: 100 + i))];
        var sequential = new List<float[][]>();
        foreach (List<string> texts in work)
        {
            sequential.Add(await LocalTestModels.EmbedTextsAsync(provider, texts));
        }

        using var start = new ManualResetEventSlim();
        Task<float[][]>[] concurrent = [.. work.Select(texts => Task.Run(async () =>
        {
            start.Wait(Ct);
            return await LocalTestModels.EmbedTextsAsync(provider, texts);
        }, Ct))];
        start.Set();
        float[][][] results = await Task.WhenAll(concurrent);

        for (int c = 0; c < work.Length; c++)
        {
            for (int i = 0; i < work[c].Count; i++)
            {
                Assert.True(VectorAssert.MaxAbsDifference(sequential[c][i], results[c][i]) <= Tolerance, $"caller {c}, text {i}");
            }
        }
    }

    [Fact]
    public async Task EmbedStreamAsync_LongStream_ResultsInInputOrderEqualToBatchCalls()
    {
        LocalOnnxProvider provider = LocalTestModels.Shared("minilm");
        List<string> texts = Neighbours(300, seed: 11);
        float[][] expected = await LocalTestModels.EmbedTextsAsync(provider, texts);

        var actual = new List<float[]>();
        await foreach (EmbeddingResult result in provider.EmbedStreamAsync(Produce(texts), cancellationToken: Ct))
        {
            actual.Add(result.Vector.ToArray());
        }

        Assert.Equal(texts.Count, actual.Count);
        for (int i = 0; i < texts.Count; i++)
        {
            Assert.True(VectorAssert.MaxAbsDifference(expected[i], actual[i]) <= Tolerance, $"text {i}");
        }
    }

    [Fact]
    public async Task EmbedStreamAsync_SlowProducer_YieldsBeforeTheStreamEnds()
    {
        LocalOnnxProvider provider = LocalTestModels.Shared("minilm");
        using var release = new SemaphoreSlim(0);

        async IAsyncEnumerable<EmbeddingInput> Slow()
        {
            yield return EmbeddingInput.FromText("first");

            // The second input comes only once the first result was seen.
            await release.WaitAsync(Ct);
            yield return EmbeddingInput.FromText("second");
        }

        int seen = 0;
        await foreach (EmbeddingResult result in provider.EmbedStreamAsync(Slow(), cancellationToken: Ct))
        {
            Assert.True(result.Succeeded);
            seen++;
            release.Release();
        }

        Assert.Equal(2, seen);
    }

    private static async IAsyncEnumerable<EmbeddingInput> Produce(IEnumerable<string> texts)
    {
        foreach (string text in texts)
        {
            await Task.Yield();
            yield return EmbeddingInput.FromText(text);
        }
    }
}
