using Embeddings.TestSupport;
using static Embeddings.Remote.RemoteTestHelpers;

namespace Embeddings.Remote;

public sealed class HuggingFaceProviderProtocolTests
{
    private static readonly string[] s_texts = ["a photo of a cat", "a red chair", "Grüße aus Köln ☕", "x"];

    public static TheoryData<RemoteProtocol, string> TextProtocols => new()
    {
        { RemoteProtocol.HuggingFaceInference, FaultInjectingServer.FeatureExtractionRoute },
        { RemoteProtocol.TextEmbeddingsInference, FaultInjectingServer.TeiRoute },
        { RemoteProtocol.OpenAI, FaultInjectingServer.OpenAIRoute },
        { RemoteProtocol.EmbeddingsServer, FaultInjectingServer.PredictRoute },
        { RemoteProtocol.InferenceEndpoint, FaultInjectingServer.EndpointRoute },
    };

    public static TheoryData<RemoteProtocol, string> ImageProtocols => new()
    {
        { RemoteProtocol.OpenAI, FaultInjectingServer.OpenAIRoute },
        { RemoteProtocol.EmbeddingsServer, FaultInjectingServer.ImageRoute },
        { RemoteProtocol.InferenceEndpoint, FaultInjectingServer.EndpointRoute },
    };

    [Theory]
    [MemberData(nameof(TextProtocols))]
    public async Task EmbedAsync_Texts_ReturnTheServersVectorsNormalizedInInputOrder(RemoteProtocol protocol, string route)
    {
        await using var server = await FaultInjectingServer.StartAsync(dimensions: 16);
        using var scope = Provider(Options(server, protocol));

        IReadOnlyList<EmbeddingResult> results = await scope.Provider.EmbedAsync([.. s_texts.Select(t => EmbeddingInput.FromText(t))], cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(s_texts.Length, results.Count);
        for (int i = 0; i < s_texts.Length; i++)
        {
            Assert.True(results[i].Succeeded, results[i].Error?.Message);
            AssertVector(FakeEmbedding.Normalized(FakeEmbedding.ForText(s_texts[i], 16)), results[i].Vector);
            Assert.Equal(ModelId, results[i].Embedding!.ModelId);
            Assert.Equal("huggingface", results[i].ProviderName);
        }

        Assert.Equal(1, server.RequestCount(route));
        Assert.Equal(1, server.TotalRequests);
        Assert.Equal(s_texts.Length, server.Requests[0].Inputs);
        Assert.Equal(16, scope.Provider.Metadata.Dimensions);
    }

    [Theory]
    [MemberData(nameof(ImageProtocols))]
    public async Task EmbedAsync_Images_SendTheEncodedBytesAsTheyAre(RemoteProtocol protocol, string route)
    {
        await using var server = await FaultInjectingServer.StartAsync(dimensions: 12);
        using var scope = Provider(Options(server, protocol, o => o.Modalities = EmbeddingModalities.Text | EmbeddingModalities.Image));
        string[] files = [.. TestAssets.AllImages().Take(3)];
        byte[][] bytes = [.. files.Select(File.ReadAllBytes)];
        var stream = new MemoryStream(bytes[2]);

        IReadOnlyList<EmbeddingResult> results = await scope.Provider.EmbedAsync(
            [EmbeddingInput.FromImage(bytes[0]), EmbeddingInput.FromImageFile(files[1]), EmbeddingInput.FromImage(stream, "third")],
            cancellationToken: TestContext.Current.CancellationToken);

        // The server derives the vector from a hash of the exact bytes it received: equality proves no re-encoding.
        for (int i = 0; i < 3; i++)
        {
            Assert.True(results[i].Succeeded, results[i].Error?.Message);
            AssertVector(FakeEmbedding.Normalized(FakeEmbedding.ForImage(bytes[i], 12)), results[i].Vector);
        }

        Assert.Equal(1, server.RequestCount(route));
        if (protocol == RemoteProtocol.InferenceEndpoint)
        {
            Assert.Equal("image_embedding", server.Requests[0].Mode);
        }
    }

    [Fact]
    public async Task EmbedAsync_Pixels_AreSentAsLosslessPng()
    {
        await using var server = await FaultInjectingServer.StartAsync(dimensions: 8);
        using var scope = Provider(Options(server, RemoteProtocol.EmbeddingsServer));
        byte[] pixels = [.. Enumerable.Range(0, 5 * 3 * 3).Select(i => (byte)(i * 17))];
        var image = new RgbImage(5, 3, pixels);

        EmbeddingResult result = (await scope.Provider.EmbedAsync([EmbeddingInput.FromPixels(image)], cancellationToken: TestContext.Current.CancellationToken))[0];

        Assert.True(result.Succeeded, result.Error?.Message);
        AssertVector(FakeEmbedding.Normalized(FakeEmbedding.ForImage(PngEncoder.Encode(image), 8)), result.Vector);
    }

    [Fact]
    public async Task EmbedAsync_MixedModalities_SendsOneRequestPerModality()
    {
        await using var server = await FaultInjectingServer.StartAsync(dimensions: 8);
        using var scope = Provider(Options(server, RemoteProtocol.EmbeddingsServer));
        byte[] image = File.ReadAllBytes(TestAssets.AllImages().First());

        IReadOnlyList<EmbeddingResult> results = await scope.Provider.EmbedAsync(
            ["first", EmbeddingInput.FromImage(image), "third"], cancellationToken: TestContext.Current.CancellationToken);

        AssertVector(FakeEmbedding.Normalized(FakeEmbedding.ForText("first", 8)), results[0].Vector);
        AssertVector(FakeEmbedding.Normalized(FakeEmbedding.ForImage(image, 8)), results[1].Vector);
        AssertVector(FakeEmbedding.Normalized(FakeEmbedding.ForText("third", 8)), results[2].Vector);
        Assert.Equal(1, server.RequestCount(FaultInjectingServer.PredictRoute));
        Assert.Equal(1, server.RequestCount(FaultInjectingServer.ImageRoute));
    }

    [Theory]
    [InlineData(RemoteProtocol.HuggingFaceInference)]
    [InlineData(RemoteProtocol.TextEmbeddingsInference)]
    public async Task EmbedAsync_ImageOnTextOnlyProtocol_FailsThatInputWithoutARequest(RemoteProtocol protocol)
    {
        await using var server = await FaultInjectingServer.StartAsync();
        using var scope = Provider(Options(server, protocol));

        IReadOnlyList<EmbeddingResult> results = await scope.Provider.EmbedAsync(
            [EmbeddingInput.FromImage(new byte[] { 1, 2, 3 }, "logo.png"), "text"], cancellationToken: TestContext.Current.CancellationToken);

        var error = Assert.IsType<EmbeddingInputException>(results[0].Error);
        Assert.Equal(EmbeddingInputError.UnsupportedModality, error.Reason);
        Assert.Contains("logo.png", error.Message, StringComparison.Ordinal);
        Assert.True(results[1].Succeeded);
        Assert.Equal(1, server.TotalRequests);
        Assert.Equal(1, server.Requests[0].Inputs);
    }

    [Theory]
    [InlineData("Pooled")]
    [InlineData("Flat")]
    [InlineData("TokenLevel")]
    public async Task EmbedAsync_RouterResponseOfAnyRank_GivesThePooledVector(string shapeName)
    {
        FeatureExtractionShape shape = Enum.Parse<FeatureExtractionShape>(shapeName);
        await using var server = await FaultInjectingServer.StartAsync(dimensions: 8);
        server.FeatureExtractionShape = shape;
        var logs = new CapturingLoggerProvider();
        using var scope = Provider(Options(server, RemoteProtocol.HuggingFaceInference), logs.CreateLogger("test"));
        string[] texts = shape == FeatureExtractionShape.Flat ? ["only one"] : ["one", "two", "three"];

        IReadOnlyList<EmbeddingResult> results = await scope.Provider.EmbedAsync([.. texts.Select(t => EmbeddingInput.FromText(t))], cancellationToken: TestContext.Current.CancellationToken);

        for (int i = 0; i < texts.Length; i++)
        {
            Assert.True(results[i].Succeeded, results[i].Error?.Message);
            AssertVector(FakeEmbedding.Normalized(FakeEmbedding.ForText(texts[i], 8)), results[i].Vector, 1e-5f);
        }

        Assert.Equal(shape == FeatureExtractionShape.TokenLevel, logs.Entries.Any(e => e.EventId.Name == "RemoteTokenLevelPooled"));
    }

    [Fact]
    public async Task EmbedAsync_RouterPath_NamesTheModelAndPipeline()
    {
        await using var server = await FaultInjectingServer.StartAsync();
        using var scope = Provider(Options(server, RemoteProtocol.HuggingFaceInference));

        await scope.Provider.EmbedAsync(["hello"], cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(1, server.RequestCount(FaultInjectingServer.FeatureExtractionRoute));
        Assert.Equal(new Uri(server.BaseUrl, "hf-inference/models/test-org/test-model/pipeline/feature-extraction"), scope.Provider.Metadata.ProviderUri);
    }

    [Fact]
    public async Task EmbedAsync_PromptNameAndNormalizeFalse_ReachTheServerAndReturnRawVectors()
    {
        await using var server = await FaultInjectingServer.StartAsync(dimensions: 8);
        using var scope = Provider(Options(server, RemoteProtocol.TextEmbeddingsInference));

        EmbeddingResult result = (await scope.Provider.EmbedAsync(
            ["what is a cat?"], new EmbeddingRequestOptions { PromptName = "query", Normalize = false }, TestContext.Current.CancellationToken))[0];

        AssertVector(FakeEmbedding.ForText("what is a cat?", 8, "query"), result.Vector);
        Assert.Equal("query", server.Requests[0].PromptName);
        Assert.False(server.Requests[0].Normalize);
    }

    [Theory]
    [InlineData(RemoteProtocol.TextEmbeddingsInference, true)]
    [InlineData(RemoteProtocol.OpenAI, true)]
    [InlineData(RemoteProtocol.EmbeddingsServer, true)]
    [InlineData(RemoteProtocol.HuggingFaceInference, false)]
    public async Task EmbedAsync_Dimensions_TruncatesThenRenormalizes(RemoteProtocol protocol, bool serverTruncates)
    {
        await using var server = await FaultInjectingServer.StartAsync(dimensions: 16);
        using var scope = Provider(Options(server, protocol, o => o.ExpectedDimensions = 16));

        EmbeddingResult result = (await scope.Provider.EmbedAsync(["matryoshka"], new EmbeddingRequestOptions { Dimensions = 4 }, TestContext.Current.CancellationToken))[0];

        Assert.True(result.Succeeded, result.Error?.Message);
        AssertVector(FakeEmbedding.Normalized(FakeEmbedding.ForText("matryoshka", 16)[..4]), result.Vector);
        Assert.Equal(serverTruncates ? 4 : null, server.Requests[0].Dimensions);
    }

    [Fact]
    public async Task EmbedAsync_DimensionsLargerThanTheModel_Throws()
    {
        await using var server = await FaultInjectingServer.StartAsync(dimensions: 8);
        using var scope = Provider(Options(server, configure: o => o.ExpectedDimensions = 8));

        await Assert.ThrowsAsync<ArgumentException>(() =>
            scope.Provider.EmbedAsync(["x"], new EmbeddingRequestOptions { Dimensions = 9 }, TestContext.Current.CancellationToken));
        Assert.Equal(0, server.TotalRequests);
    }

    [Fact]
    public async Task EmbedAsync_OpenAIOutOfOrderItems_ArePlacedByIndex()
    {
        await using var server = await FaultInjectingServer.StartAsync(dimensions: 8);
        using var scope = Provider(Options(server, RemoteProtocol.OpenAI));
        string[] texts = [.. Enumerable.Range(0, 7).Select(i => $"text number {i}")];

        IReadOnlyList<EmbeddingResult> results = await scope.Provider.EmbedAsync([.. texts.Select(t => EmbeddingInput.FromText(t))], cancellationToken: TestContext.Current.CancellationToken);

        for (int i = 0; i < texts.Length; i++)
        {
            AssertVector(FakeEmbedding.Normalized(FakeEmbedding.ForText(texts[i], 8)), results[i].Vector);
        }

        Assert.Equal(ModelId, server.Requests[0].Model);
    }

    [Fact]
    public async Task EmbedAsync_OpenAIWithPromptName_ThrowsBecauseItCannotBeSent()
    {
        await using var server = await FaultInjectingServer.StartAsync();
        using var scope = Provider(Options(server, RemoteProtocol.OpenAI));

        await Assert.ThrowsAsync<ArgumentException>(() =>
            scope.Provider.EmbedAsync(["x"], new EmbeddingRequestOptions { PromptName = "query" }, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task EmbedAsync_ApiKey_IsSentAsBearerToken()
    {
        await using var server = await FaultInjectingServer.StartAsync(requiredApiKey: "hf_test_token");
        using var scope = Provider(Options(server, configure: o => o.ApiKey = "hf_test_token"));

        EmbeddingResult result = (await scope.Provider.EmbedAsync(["x"], cancellationToken: TestContext.Current.CancellationToken))[0];

        Assert.True(result.Succeeded, result.Error?.Message);
        Assert.Equal("Bearer hf_test_token", server.Requests[0].Authorization);
    }

    [Fact]
    public async Task EmbedAsync_ModelIdIsAUrl_PostsToItVerbatim()
    {
        await using var server = await FaultInjectingServer.StartAsync(dimensions: 8);
        using var scope = Provider(Options(server, RemoteProtocol.HuggingFaceInference, o =>
        {
            o.BaseUrl = new Uri("https://router.huggingface.co");
            o.ModelId = new Uri(server.BaseUrl, "embed").ToString();
        }));

        EmbeddingResult result = (await scope.Provider.EmbedAsync(["x"], cancellationToken: TestContext.Current.CancellationToken))[0];

        Assert.True(result.Succeeded, result.Error?.Message);
        Assert.Equal(1, server.RequestCount(FaultInjectingServer.TeiRoute));
    }

    [Fact]
    public async Task EmbedAsync_EmptyInputList_ReturnsEmptyWithoutARequest()
    {
        await using var server = await FaultInjectingServer.StartAsync();
        using var scope = Provider(Options(server));

        IReadOnlyList<EmbeddingResult> results = await scope.Provider.EmbedAsync([], cancellationToken: TestContext.Current.CancellationToken);

        Assert.Empty(results);
        Assert.Equal(0, server.TotalRequests);
    }

    [Fact]
    public async Task EmbedAsync_NullInput_ThrowsArgumentNullException()
    {
        await using var server = await FaultInjectingServer.StartAsync();
        using var scope = Provider(Options(server));

        await Assert.ThrowsAsync<ArgumentNullException>(() => scope.Provider.EmbedAsync(["a", null!], cancellationToken: TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task EmbedAsync_AfterDispose_ThrowsObjectDisposedException()
    {
        await using var server = await FaultInjectingServer.StartAsync();
        var scope = Provider(Options(server));
        scope.Dispose();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => scope.Provider.EmbedAsync(["a"], cancellationToken: TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task GetService_ProviderAndMetadata_AreAvailable()
    {
        await using var server = await FaultInjectingServer.StartAsync();
        using var scope = Provider(Options(server, RemoteProtocol.EmbeddingsServer));

        Assert.Same(scope.Provider, scope.Provider.GetService<HuggingFaceProvider>());
        Assert.Same(scope.Provider.Metadata, scope.Provider.GetService<EmbeddingProviderMetadata>());
        Assert.Null(scope.Provider.GetService(typeof(HuggingFaceProvider), "key"));
        Assert.Equal(RemoteCircuitState.Closed, scope.Provider.GetService(typeof(RemoteCircuitState)));
        Assert.Equal(EmbeddingModalities.Text | EmbeddingModalities.Image, scope.Provider.Metadata.Modalities);
        Assert.Equal(0, scope.Provider.Metadata.Dimensions);
    }

    [Fact]
    public async Task AsEmbeddingGenerator_Text_ProducesTheSameVectors()
    {
        await using var server = await FaultInjectingServer.StartAsync(dimensions: 8);
        using var scope = Provider(Options(server));
        Microsoft.Extensions.AI.IEmbeddingGenerator<string, Microsoft.Extensions.AI.Embedding<float>> generator = scope.Provider.AsEmbeddingGenerator();

        var embeddings = await generator.GenerateAsync(["alpha", "beta"], cancellationToken: TestContext.Current.CancellationToken);

        AssertVector(FakeEmbedding.Normalized(FakeEmbedding.ForText("beta", 8)), embeddings[1].Vector);
    }

    [Fact]
    public async Task Create_OwnsItsClient_AndEmbeds()
    {
        await using var server = await FaultInjectingServer.StartAsync(dimensions: 8);
        using HuggingFaceProvider provider = HuggingFaceProvider.Create(Options(server));

        ReadOnlyMemory<float> vector = await provider.EmbedTextAsync("owned", cancellationToken: TestContext.Current.CancellationToken);

        AssertVector(FakeEmbedding.Normalized(FakeEmbedding.ForText("owned", 8)), vector);
    }
}
