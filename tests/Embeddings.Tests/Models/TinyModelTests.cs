using System.Text.Json;
using Embeddings.TestSupport;

namespace Embeddings.Models;

/// <summary>The generated tiny models (eng/models/generate.py, in the exact hub layouts) resolve as their layouts say.</summary>
public sealed class TinyModelTests
{
    private static readonly ModelResolver s_resolver = new() { Environment = _ => null };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Tiny(string name)
    {
        string folder = TestAssets.TinyModelDir(name);
        Assert.True(Directory.Exists(folder), $"{folder} is not generated: run eng/prepare.sh");
        return folder;
    }

    private static JsonElement Config(string folder) => JsonDocument.Parse(File.ReadAllBytes(Path.Combine(folder, "config.json"))).RootElement;

    private static Task<ModelDescription> Resolve(string folder, ModelVariant variant = ModelVariant.Fp32, bool combined = false) =>
        s_resolver.ResolveAsync(folder, new ModelSourceOptions { Variant = variant }, combined, Ct);

    [Fact]
    public async Task Siglip2_ResolvesAsFixedResolutionSiglip()
    {
        string folder = Tiny("siglip2");
        JsonElement config = Config(folder);

        ModelDescription d = await Resolve(folder, combined: true);

        Assert.Equal(ModelFamily.Siglip, d.Family);
        Assert.Equal(Path.Combine(folder, "onnx", "vision_model.onnx"), d.ImageEncoder!.Path);
        Assert.Equal(Path.Combine(folder, "onnx", "text_model.onnx"), d.TextEncoder!.Path);
        Assert.Equal(Path.Combine(folder, "onnx", "model.onnx"), d.CombinedModel!.Path);
        Assert.Equal(64, d.TextMaxLength);
        Assert.True(d.PadTextToMaxLength);
        Assert.Equal(config.GetProperty("vision_config").GetProperty("hidden_size").GetInt32(), d.Dimensions);
        Assert.Equal(config.GetProperty("text_config").GetProperty("projection_size").GetInt32(), d.Dimensions);
        Assert.Equal(224, d.ImageSize);
        Assert.Equal(Path.Combine(folder, "preprocessor_config.json"), d.PreprocessorConfigPath);
        Assert.Equal(Path.Combine(folder, "special_tokens_map.json"), d.Tokenizer!.SpecialTokensMapPath);
    }

    [Theory]
    [InlineData(ModelVariant.Fp16, "_fp16")]
    [InlineData(ModelVariant.Quantized, "_quantized")]
    public async Task Siglip2_Variants_PickTheirTowers(ModelVariant variant, string suffix)
    {
        string folder = Tiny("siglip2");

        ModelDescription d = await Resolve(folder, variant);

        Assert.Equal($"onnx/vision_model{suffix}.onnx", d.ImageEncoder!.RepositoryPath);
        Assert.Equal($"onnx/text_model{suffix}.onnx", d.TextEncoder!.RepositoryPath);
    }

    [Fact]
    public async Task Siglip2_MissingVariant_ListsTheGeneratedOnes()
    {
        string folder = Tiny("siglip2");

        var ex = await Assert.ThrowsAsync<EmbeddingModelException>(() => Resolve(folder, ModelVariant.Q4));

        Assert.Contains("fp32 (onnx/vision_model.onnx)", ex.Message, StringComparison.Ordinal);
        Assert.Contains("fp16 (onnx/vision_model_fp16.onnx)", ex.Message, StringComparison.Ordinal);
        Assert.Contains("quantized (onnx/vision_model_quantized.onnx)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Clip_ResolvesWithProjectionSize()
    {
        string folder = Tiny("clip");
        JsonElement config = Config(folder);

        ModelDescription d = await Resolve(folder);

        Assert.Equal(ModelFamily.Clip, d.Family);
        Assert.Equal(77, d.TextMaxLength);
        Assert.False(d.PadTextToMaxLength);
        Assert.Equal(config.GetProperty("projection_dim").GetInt32(), d.Dimensions);
        Assert.NotNull(d.ImageEncoder);
        Assert.NotNull(d.TextEncoder);
    }

    [Fact]
    public async Task EmbeddingGemma_HasTheRealPromptTableAndHead()
    {
        string folder = Tiny("embeddinggemma");
        int hidden = Config(folder).GetProperty("hidden_size").GetInt32();

        ModelDescription d = await Resolve(folder);

        SentenceTransformerPipeline st = d.SentenceTransformer!;
        Assert.Equal(PoolingModes.Mean, st.Pooling.Modes);
        Assert.True(st.Pooling.IncludePrompt);
        Assert.Equal([(hidden, 4 * hidden), (4 * hidden, hidden)], st.DenseLayers.Select(l => (l.InFeatures, l.OutFeatures)));
        Assert.All(st.DenseLayers, l => Assert.Equal((false, DenseActivation.Identity, (string?)null), (l.HasBias, l.Activation, l.WeightsPath)));
        Assert.True(st.Normalize);
        Assert.Equal(hidden, d.Dimensions);
        Assert.Equal(2048, d.TextMaxLength);
        Assert.Null(st.DefaultPromptName);
        Assert.Equal("cosine", st.SimilarityFunction);
        // EmbeddingGemma's prompt table, as its model card and config_sentence_transformers.json give it.
        var expected = new Dictionary<string, string>
        {
            ["query"] = "task: search result | query: ",
            ["document"] = "title: none | text: ",
            ["BitextMining"] = "task: search result | query: ",
            ["Clustering"] = "task: clustering | query: ",
            ["Classification"] = "task: classification | query: ",
            ["InstructionRetrieval"] = "task: code retrieval | query: ",
            ["MultilabelClassification"] = "task: classification | query: ",
            ["PairClassification"] = "task: sentence similarity | query: ",
            ["Reranking"] = "task: search result | query: ",
            ["Retrieval"] = "task: search result | query: ",
            ["Retrieval-query"] = "task: search result | query: ",
            ["Retrieval-document"] = "title: none | text: ",
            ["STS"] = "task: sentence similarity | query: ",
            ["Summarization"] = "task: summarization | query: ",
        };
        Assert.Equal(expected.OrderBy(p => p.Key, StringComparer.Ordinal), st.Prompts.OrderBy(p => p.Key, StringComparer.Ordinal));
    }

    [Fact]
    public async Task EmbeddingGemmaDense_WeightsMatchNumpy()
    {
        string folder = Tiny("embeddinggemma-dense");
        string reference = Path.Combine(TestAssets.ReferencesDir("models"), "dense-weights.json");
        Assert.True(File.Exists(reference), $"{reference} is missing: run eng/references/models/generate.sh");
        using JsonDocument numpy = JsonDocument.Parse(File.ReadAllBytes(reference));

        ModelDescription d = await Resolve(folder);

        Assert.Equal(2, d.SentenceTransformer!.DenseLayers.Count);
        foreach (DenseLayerConfig layer in d.SentenceTransformer.DenseLayers)
        {
            DenseLayerWeights weights = layer.LoadWeights(d.ModelId);
            JsonElement expected = numpy.RootElement.GetProperty(layer.ModulePath).GetProperty("linear.weight");
            Assert.Equal([layer.OutFeatures, layer.InFeatures], expected.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()));
            float[] values = [.. expected.GetProperty("values").EnumerateArray().Select(e => (float)e.GetDouble())];
            Assert.Equal(values, weights.Weight); // bit-exact: both read the same float32 bytes
            Assert.Null(weights.Bias);
            Assert.Contains(layer.WeightsPath!, d.Files);
        }
    }

    [Fact]
    public async Task MiniLm_ResolvesAsMeanPooledNormalizedEncoder()
    {
        string folder = Tiny("minilm");

        ModelDescription d = await Resolve(folder);

        Assert.Equal("bert", d.ModelType);
        Assert.Equal(PoolingModes.Mean, d.SentenceTransformer!.Pooling.Modes);
        Assert.Empty(d.SentenceTransformer.DenseLayers);
        Assert.True(d.SentenceTransformer.Normalize);
        Assert.False(d.SentenceTransformer.DoLowerCase);
        Assert.Equal(256, d.TextMaxLength);
        Assert.Equal(Config(folder).GetProperty("hidden_size").GetInt32(), d.Dimensions);
    }
}
