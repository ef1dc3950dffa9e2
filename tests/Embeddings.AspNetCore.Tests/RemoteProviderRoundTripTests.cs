using Embeddings.AspNetCore.TestSupport;
using Embeddings.Remote;
using Embeddings.TestSupport;

namespace Embeddings.AspNetCore;

/// <summary>
/// The library's own remote client (<see cref="HuggingFaceProvider"/>) against this server, end to end over loopback:
/// the vectors equal those of calling the served provider directly, for every protocol the server speaks.
/// </summary>
public sealed class RemoteProviderRoundTripTests
{
    private static readonly byte[] s_cat = File.ReadAllBytes(Path.Combine(TestAssets.ImagesDir, "cat_bamboo_chair.jpg"));
    private static readonly byte[] s_png = File.ReadAllBytes(Path.Combine(TestAssets.ImagesDir, "cat_chelsea.png"));

    public static TheoryData<RemoteProtocol, string?> Protocols => new()
    {
        { RemoteProtocol.EmbeddingsServer, null },
        { RemoteProtocol.EmbeddingsServer, "document" },
        { RemoteProtocol.TextEmbeddingsInference, null },
        { RemoteProtocol.TextEmbeddingsInference, "query" },
        { RemoteProtocol.OpenAI, null },
    };

    [Theory]
    [MemberData(nameof(Protocols))]
    public async Task HuggingFaceProvider_Texts_GetTheServedProvidersVectors(RemoteProtocol protocol, string? prompt)
    {
        TestEmbeddingProvider served = ServedFakes.Provider(ServedFakes.SiglipLike);
        await using ServerHost host = await ServerHost.StartAsync(served);
        using HuggingFaceProvider remote = Client(host, protocol, EmbeddingModalities.Text);
        EmbeddingInput[] texts = [.. Enumerable.Range(0, 7).Select(i => EmbeddingInput.FromText($"text {i}"))];
        var options = new EmbeddingRequestOptions { PromptName = prompt, Normalize = false, Dimensions = 6 };

        IReadOnlyList<EmbeddingResult> viaServer = await remote.EmbedAsync(texts, options, TestContext.Current.CancellationToken);
        IReadOnlyList<EmbeddingResult> direct = await served.EmbedAsync(texts, Carried(protocol, options), TestContext.Current.CancellationToken);

        Assert.Equal(direct.Select(r => r.Vector.ToArray()), viaServer.Select(r => r.Vector.ToArray()));
    }

    [Fact]
    public async Task HuggingFaceProvider_DefaultOptions_GetTheServedVectorsNormalized()
    {
        TestEmbeddingProvider served = ServedFakes.Provider();
        await using ServerHost host = await ServerHost.StartAsync(served);
        using HuggingFaceProvider remote = Client(host, RemoteProtocol.EmbeddingsServer, EmbeddingModalities.Text);

        IReadOnlyList<EmbeddingResult> viaServer = await remote.EmbedAsync(["alpha", "beta"], cancellationToken: TestContext.Current.CancellationToken);
        IReadOnlyList<EmbeddingResult> direct = await served.EmbedAsync(["alpha", "beta"], cancellationToken: TestContext.Current.CancellationToken);

        for (int i = 0; i < 2; i++)
        {
            // The client L2-normalizes on its side (its default); the served fake does not.
            float[] expected = direct[i].Vector.ToArray();
            float norm = System.Numerics.Tensors.TensorPrimitives.Norm(expected);
            float[] actual = viaServer[i].Vector.ToArray();
            Assert.Equal(expected.Length, actual.Length);
            for (int j = 0; j < expected.Length; j++)
            {
                Assert.Equal(expected[j] / norm, actual[j], 6);
            }
        }
    }

    [Theory]
    [InlineData(RemoteProtocol.EmbeddingsServer)]
    [InlineData(RemoteProtocol.OpenAI)]
    public async Task HuggingFaceProvider_Images_GetTheServedProvidersVectors(RemoteProtocol protocol)
    {
        TestEmbeddingProvider served = ServedFakes.Provider(ServedFakes.SiglipLike);
        await using ServerHost host = await ServerHost.StartAsync(served);
        using HuggingFaceProvider remote = Client(host, protocol, EmbeddingModalities.Text | EmbeddingModalities.Image);
        EmbeddingInput[] inputs = [EmbeddingInput.FromImage(s_cat), EmbeddingInput.FromText("a cat"), EmbeddingInput.FromImage(s_png)];
        var options = new EmbeddingRequestOptions { Normalize = false };

        IReadOnlyList<EmbeddingResult> viaServer = await remote.EmbedAsync(inputs, options, TestContext.Current.CancellationToken);
        IReadOnlyList<EmbeddingResult> direct = await served.EmbedAsync(inputs, Carried(protocol, options), TestContext.Current.CancellationToken);

        Assert.All(viaServer, r => Assert.True(r.Succeeded, r.Error?.Message));
        Assert.Equal(direct.Select(r => r.Vector.ToArray()), viaServer.Select(r => r.Vector.ToArray()));
    }

    [Fact]
    public async Task HuggingFaceProvider_WrongKey_FailsAsUnauthorizedWithoutRetrying()
    {
        TestEmbeddingProvider served = ServedFakes.Provider();
        await using ServerHost host = await ServerHost.StartAsync(served);
        using HuggingFaceProvider remote = Client(host, RemoteProtocol.EmbeddingsServer, EmbeddingModalities.Text, apiKey: "not-the-token");

        EmbeddingResult result = (await remote.EmbedAsync(["x"], cancellationToken: TestContext.Current.CancellationToken))[0];

        var error = Assert.IsType<RemoteEmbeddingException>(result.Error);
        Assert.Equal(RemoteFailureKind.Unauthorized, error.Kind);
        Assert.Equal(401, error.StatusCode);
        Assert.Equal(1, error.Attempts);
        Assert.Equal(0, served.Calls);
    }

    [Fact]
    public async Task HuggingFaceProvider_ServerInputError_IsThatInputsErrorNotAnOutage()
    {
        TestEmbeddingProvider served = ServedFakes.Provider();
        await using ServerHost host = await ServerHost.StartAsync(served, o => o.MaxTextLength = 5);
        using HuggingFaceProvider remote = Client(host, RemoteProtocol.EmbeddingsServer, EmbeddingModalities.Text);

        EmbeddingResult result = (await remote.EmbedAsync(["much too long"], cancellationToken: TestContext.Current.CancellationToken))[0];

        var error = Assert.IsType<RemoteEmbeddingException>(result.Error);
        Assert.Equal(413, error.StatusCode);
        Assert.Equal(1, error.Attempts);
        Assert.Contains("at most 5", error.Message, StringComparison.Ordinal);
    }

    /// <summary>The options that reach the server: OpenAI's request has no <c>normalize</c>, so the server's default
    /// applies (the client still skips its own normalization).</summary>
    private static EmbeddingRequestOptions Carried(RemoteProtocol protocol, EmbeddingRequestOptions options) =>
        protocol == RemoteProtocol.OpenAI ? new EmbeddingRequestOptions { PromptName = options.PromptName, Dimensions = options.Dimensions } : options;

    private static HuggingFaceProvider Client(ServerHost host, RemoteProtocol protocol, EmbeddingModalities modalities, string apiKey = ServerHost.Token) =>
        new(host.Anonymous, new HuggingFaceProviderOptions
        {
            BaseUrl = host.BaseUrl,
            ApiKey = apiKey,
            ModelId = "fake/siglip2",
            Protocol = protocol,
            Modalities = modalities,
            BatchSize = 3,
            MaxRetries = 1,
            RetryDelay = TimeSpan.Zero,
        });
}
