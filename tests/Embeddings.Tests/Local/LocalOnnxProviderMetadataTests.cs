using Embeddings.Tokenization;
using Microsoft.Extensions.AI;

namespace Embeddings.Local;

public sealed class LocalOnnxProviderMetadataTests
{
    [Fact]
    public void Metadata_SentenceTransformer_DescribesTheModel()
    {
        LocalOnnxProvider provider = LocalTestModels.Shared("embeddinggemma");
        string config = File.ReadAllText(Path.Combine(LocalTestModels.Folder("embeddinggemma"), "3_Dense", "config.json"));
        int outFeatures = System.Text.Json.JsonDocument.Parse(config).RootElement.GetProperty("out_features").GetInt32();

        EmbeddingProviderMetadata m = provider.Metadata;

        Assert.Equal("local-onnx", m.ProviderName);
        Assert.Equal("embeddinggemma", m.ModelId);
        Assert.Equal(outFeatures, m.Dimensions);
        Assert.Equal(EmbeddingModalities.Text, m.Modalities);
        Assert.Contains("query", m.PromptNames);
        Assert.Contains("document", m.PromptNames);
        Assert.Equal(14, m.PromptNames.Count);
        Assert.StartsWith("sha256:", m.ModelRevision, StringComparison.Ordinal);
        Assert.Null(m.ProviderUri);
    }

    [Fact]
    public async Task EmbedAsync_StampsModelIdAndProvider()
    {
        LocalOnnxProvider provider = LocalTestModels.Shared("minilm");

        IReadOnlyList<EmbeddingResult> results = await provider.EmbedAsync(["a"], cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal("minilm", results[0].Embedding!.ModelId);
        Assert.Equal("local-onnx", results[0].ProviderName);
        Assert.Equal(provider.Metadata.Dimensions, results[0].Vector.Length);
    }

    [Fact]
    public void GetService_ServesProviderTokenizerAndMetadata()
    {
        LocalOnnxProvider provider = LocalTestModels.Shared("minilm");

        Assert.Same(provider, provider.GetService<LocalOnnxProvider>());
        Assert.NotNull(provider.GetService<Tokenizer>());
        Assert.Same(provider.Metadata, provider.GetService<EmbeddingProviderMetadata>());
        Assert.Null(provider.GetService<LocalOnnxProvider>("key"));
    }

    [Fact]
    public async Task AsEmbeddingGenerator_PassesPromptAndDimensions()
    {
        LocalOnnxProvider provider = LocalTestModels.Shared("embeddinggemma");
        IEmbeddingGenerator<string, Embedding<float>> generator = new TextEmbeddingGenerator(provider);
        var options = new EmbeddingGenerationOptions { Dimensions = 16, AdditionalProperties = new() { ["prompt_name"] = "query" } };

        GeneratedEmbeddings<Embedding<float>> generated = await generator.GenerateAsync(["hello"], options, TestContext.Current.CancellationToken);
        float[][] direct = await LocalTestModels.EmbedTextsAsync(provider, ["hello"], new EmbeddingRequestOptions { Dimensions = 16, PromptName = "query" });

        Assert.Equal(direct[0], generated[0].Vector.ToArray());
    }
}
