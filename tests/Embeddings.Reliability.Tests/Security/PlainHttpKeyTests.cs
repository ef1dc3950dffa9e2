using Embeddings.Reliability.Support;
using Embeddings.Remote;

namespace Embeddings.Reliability.Security;

/// <summary>
/// An API key never crosses the network in clear text unless the configuration says so: a provider with a key and
/// any plain-http endpoint off the loopback interface is refused when it is created, and the key never reaches a
/// host it was not configured for (not through a redirect either).
/// </summary>
public sealed class PlainHttpKeyTests
{
    private const string Key = "hf_PlainHttpKey0123456789abcdef";

    public static TheoryData<string, RemoteProtocol> RemoteHttpEndpoints => new()
    {
        { "http://example.com/", RemoteProtocol.TextEmbeddingsInference },
        { "HTTP://EXAMPLE.COM/", RemoteProtocol.OpenAI },
        { "http://10.0.0.5:8080/", RemoteProtocol.EmbeddingsServer },
        { "http://0.0.0.0:7860/", RemoteProtocol.EmbeddingsServer },
        { "http://localhost.example.com/", RemoteProtocol.TextEmbeddingsInference },
        { "http://127.0.0.1.nip.io/", RemoteProtocol.TextEmbeddingsInference },
        { "http://[fe80::1]/", RemoteProtocol.TextEmbeddingsInference },
        { "http://router.example/", RemoteProtocol.HuggingFaceInference },
        { "http://endpoint.example/", RemoteProtocol.InferenceEndpoint },
    };

    [Theory]
    [MemberData(nameof(RemoteHttpEndpoints))]
    public void Create_KeyOverPlainHttpToARemoteHost_RefusedNamingTheSettingNotTheKey(string url, RemoteProtocol protocol)
    {
        var options = Options(url, protocol);

        var error = Assert.ThrowsAny<ArgumentException>(() => HuggingFaceProvider.Create(options));

        Assert.Contains(nameof(HuggingFaceProviderOptions.AllowApiKeyOverHttp), error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Create_RouterWithAPlainHttpModelUrl_Refused()
    {
        // The router protocol takes a full URL as the model id and calls it verbatim: that URL is an endpoint too.
        var options = Options("https://router.example/", RemoteProtocol.HuggingFaceInference);
        options.ModelId = "http://evil.example/models/org/name";

        var error = Assert.ThrowsAny<ArgumentException>(() => HuggingFaceProvider.Create(options));

        Assert.DoesNotContain(Key, error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(RemoteHttpEndpoints))]
    public void Create_KeyOverPlainHttpExplicitlyAllowed_Accepted(string url, RemoteProtocol protocol)
    {
        var options = Options(url, protocol);
        options.AllowApiKeyOverHttp = true;

        using HuggingFaceProvider provider = HuggingFaceProvider.Create(options);

        Assert.NotNull(provider.Metadata.ProviderUri);
    }

    [Theory]
    [InlineData("https://example.com/")]
    [InlineData("http://127.0.0.1:8080/")]
    [InlineData("http://127.10.20.30/")]
    [InlineData("http://localhost:7860/")]
    [InlineData("http://[::1]:7860/")]
    public void Create_KeyOverHttpsOrLoopback_Accepted(string url)
    {
        using HuggingFaceProvider provider = HuggingFaceProvider.Create(Options(url, RemoteProtocol.TextEmbeddingsInference));

        Assert.NotNull(provider.Metadata);
    }

    [Fact]
    public void Create_NoKeyOverPlainHttp_Accepted()
    {
        var options = Options("http://example.com/", RemoteProtocol.TextEmbeddingsInference);
        options.ApiKey = null;

        using HuggingFaceProvider provider = HuggingFaceProvider.Create(options);

        Assert.NotNull(provider.Metadata);
    }

    [Fact]
    public async Task EmbedAsync_ServiceRedirectsToAnotherHost_KeyNotSentThere()
    {
        await using RecordingHttpServer elsewhere = await RecordingHttpServer.StartAsync();
        await using RecordingHttpServer service = await RecordingHttpServer.StartAsync(context =>
        {
            context.Response.StatusCode = 307;
            context.Response.Headers.Location = new Uri(elsewhere.BaseUrl, "embed").ToString();
            return Task.CompletedTask;
        });
        var options = Options(service.BaseUrl.ToString(), RemoteProtocol.TextEmbeddingsInference);
        options.MaxRetries = 0;
        options.CircuitBreaker.Enabled = false;
        using HuggingFaceProvider provider = HuggingFaceProvider.Create(options);

        IReadOnlyList<EmbeddingResult> results = await provider.EmbedAsync(["hello"], cancellationToken: TestContext.Current.CancellationToken);

        Assert.False(results[0].Succeeded);
        Assert.Contains(service.Requests, r => r.Authorization == "Bearer " + Key);

        // Whether or not the client follows the redirect, the other host never sees the key.
        Assert.All(elsewhere.Requests, r => Assert.Null(r.Authorization));
        Assert.DoesNotContain(Key, results[0].Error!.ToString(), StringComparison.Ordinal);
    }

    private static HuggingFaceProviderOptions Options(string url, RemoteProtocol protocol) => new()
    {
        BaseUrl = new Uri(url),
        ApiKey = Key,
        ModelId = "org/model",
        Protocol = protocol,
    };
}
