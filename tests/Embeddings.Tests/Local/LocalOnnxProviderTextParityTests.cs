namespace Embeddings.Local;

/// <summary>Text vectors equal transformers.js's on the same tiny models (eng/references/local/generate.mjs).</summary>
public sealed class LocalOnnxProviderTextParityTests(ITestOutputHelper output)
{
    private const double MinCosine = 0.99999;
    private const double MaxAbs = 1e-5;

    public static TheoryData<string> PromptNames()
    {
        var data = new TheoryData<string>();
        foreach (string name in new[] { "query", "document", "BitextMining", "Clustering", "Classification", "InstructionRetrieval",
            "MultilabelClassification", "PairClassification", "Reranking", "Retrieval", "Retrieval-query", "Retrieval-document", "STS", "Summarization" })
        {
            data.Add(name);
        }

        return data;
    }

    [Fact]
    public async Task EmbedAsync_Siglip2Text_MatchesTransformersJsPaddedTo64()
    {
        LocalOnnxProvider provider = LocalTestModels.Shared("siglip2");

        float[][] normalized = await LocalTestModels.EmbedTextsAsync(provider, LocalReference.Texts);
        float[][] raw = await LocalTestModels.EmbedTextsAsync(provider, LocalReference.Texts, new EmbeddingRequestOptions { Normalize = false });

        Compare(LocalReference.Vectors("siglip2", "text", "normalized"), normalized, "siglip2 text");
        Compare(LocalReference.Vectors("siglip2", "text", "raw"), raw, "siglip2 text (Normalize=false)");
        Assert.All(normalized, v => Assert.Equal(1.0, VectorAssert.Norm(v), 5));
        Assert.DoesNotContain(raw, v => Math.Abs(VectorAssert.Norm(v) - 1) < 1e-3);
    }

    [Fact]
    public async Task EmbedAsync_EmbeddingGemmaWithoutPrompt_MatchesSentenceEmbedding()
    {
        float[][] vectors = await LocalTestModels.EmbedTextsAsync(LocalTestModels.Shared("embeddinggemma"), LocalReference.Texts);

        Compare(LocalReference.Vectors("embeddinggemma", "text", "normalized"), vectors, "embeddinggemma");
    }

    [Theory]
    [MemberData(nameof(PromptNames))]
    public async Task EmbedAsync_EmbeddingGemmaWithPrompt_MatchesPrefixedText(string prompt)
    {
        float[][] vectors = await LocalTestModels.EmbedTextsAsync(
            LocalTestModels.Shared("embeddinggemma"), LocalReference.Texts, new EmbeddingRequestOptions { PromptName = prompt });

        Compare(LocalReference.Vectors("embeddinggemma", "prompts", prompt), vectors, $"embeddinggemma prompt {prompt}");
    }

    [Fact]
    public async Task EmbedAsync_PromptChangesTheVector()
    {
        LocalOnnxProvider provider = LocalTestModels.Shared("embeddinggemma");

        float[][] plain = await LocalTestModels.EmbedTextsAsync(provider, ["hello"]);
        float[][] query = await LocalTestModels.EmbedTextsAsync(provider, ["hello"], new EmbeddingRequestOptions { PromptName = "query" });

        Assert.True(VectorAssert.Cosine(plain[0], query[0]) < 0.999, "the prompt must be applied");
    }

    [Fact]
    public async Task EmbedAsync_Matryoshka_TruncatesAndRenormalizes()
    {
        LocalOnnxProvider provider = LocalTestModels.Shared("embeddinggemma");
        int half = LocalReference.Element("embeddinggemma", "matryoshka", "dimensions").GetInt32();

        float[][] plain = await LocalTestModels.EmbedTextsAsync(provider, LocalReference.Texts, new EmbeddingRequestOptions { Dimensions = half });
        float[][] query = await LocalTestModels.EmbedTextsAsync(provider, LocalReference.Texts, new EmbeddingRequestOptions { Dimensions = half, PromptName = "query" });

        Assert.All(plain, v => Assert.Equal(half, v.Length));
        Compare(LocalReference.Vectors("embeddinggemma", "matryoshka", "plain"), plain, "embeddinggemma matryoshka");
        Compare(LocalReference.Vectors("embeddinggemma", "matryoshka", "query"), query, "embeddinggemma matryoshka + query");
    }

    [Fact]
    public async Task EmbedAsync_EmbeddingGemmaDenseLayout_PoolsAndProjectsLikeTheGraphHead()
    {
        // Same weights, exported without the head: mean pooling + the two safetensors Dense layers + Normalize here
        // must give what the head inside the other export gives.
        using LocalOnnxProvider provider = LocalTestModels.Create("embeddinggemma-dense");
        Assert.Equal(TextOutputKind.TokenStates, provider.Text!.OutputKind);

        float[][] vectors = await LocalTestModels.EmbedTextsAsync(provider, LocalReference.Texts);
        float[][] query = await LocalTestModels.EmbedTextsAsync(provider, LocalReference.Texts, new EmbeddingRequestOptions { PromptName = "query" });

        Compare(LocalReference.Vectors("embeddinggemma", "text", "normalized"), vectors, "embeddinggemma-dense");
        Compare(LocalReference.Vectors("embeddinggemma", "prompts", "query"), query, "embeddinggemma-dense query");
    }

    [Fact]
    public async Task EmbedAsync_MiniLm_MeanPoolsAndTruncatesAtMaxSeqLength()
    {
        float[][] vectors = await LocalTestModels.EmbedTextsAsync(LocalTestModels.Shared("minilm"), LocalReference.Texts);

        Compare(LocalReference.Vectors("minilm", "text", "normalized"), vectors, "minilm");
        Assert.Equal(LocalReference.Element("minilm", "max_seq_length").GetInt32(), LocalTestModels.Shared("minilm").Text!.MaxLength);
    }

    [Fact]
    public async Task EmbedAsync_ClipText_MatchesTextEmbeds()
    {
        LocalOnnxProvider provider = LocalTestModels.Shared("clip");

        float[][] normalized = await LocalTestModels.EmbedTextsAsync(provider, LocalReference.Texts);
        float[][] raw = await LocalTestModels.EmbedTextsAsync(provider, LocalReference.Texts, new EmbeddingRequestOptions { Normalize = false });

        Compare(LocalReference.Vectors("clip", "text", "normalized"), normalized, "clip text");
        Compare(LocalReference.Vectors("clip", "text", "raw"), raw, "clip text (Normalize=false)");
    }

    private void Compare(float[][] expected, float[][] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        double worst = 1;
        for (int i = 0; i < expected.Length; i++)
        {
            worst = Math.Min(worst, VectorAssert.Close(expected[i], actual[i], MinCosine, MaxAbs * Math.Max(1, VectorAssert.Norm(expected[i])), $"{what} text {i}"));
        }

        output.WriteLine($"{what}: {expected.Length} vectors, lowest cosine {worst:F9} (1 - cosine = {1 - worst:E2})");
    }
}
