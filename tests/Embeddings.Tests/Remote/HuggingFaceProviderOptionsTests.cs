using Microsoft.Extensions.Configuration;

namespace Embeddings.Remote;

public sealed class HuggingFaceProviderOptionsTests
{
    private static HuggingFaceProviderOptions Valid(Action<HuggingFaceProviderOptions>? configure = null)
    {
        var options = new HuggingFaceProviderOptions { ModelId = "google/embeddinggemma-300m" };
        configure?.Invoke(options);
        return options;
    }

    private static string Refused(HuggingFaceProviderOptions options)
    {
        using var client = new HttpClient();
        return Assert.Throws<ArgumentException>(() => new HuggingFaceProvider(client, options)).Message;
    }

    [Fact]
    public void Defaults_MatchTheDocumentedValues()
    {
        var options = new HuggingFaceProviderOptions();

        Assert.Equal(new Uri("https://router.huggingface.co"), options.BaseUrl);
        Assert.Equal(RemoteProtocol.HuggingFaceInference, options.Protocol);
        Assert.Equal(10, options.BatchSize);
        Assert.Equal(TimeSpan.FromSeconds(60), options.Timeout);
        Assert.Equal(3, options.MaxRetries);
        Assert.Equal(8, options.MaxConcurrentRequests);
        Assert.True(options.Normalize);
        Assert.False(options.AllowApiKeyOverHttp);
        Assert.Null(options.PricePerInput);
        Assert.Null(options.PricePer1KTokens);
        Assert.True(options.CircuitBreaker.Enabled);
        Assert.Equal(TimeSpan.FromSeconds(30), options.CircuitBreaker.BreakDuration);
    }

    [Fact]
    public void Constructor_ApiKeyOverPlainHttpToARemoteHost_IsRefused()
    {
        string message = Refused(Valid(o =>
        {
            o.Protocol = RemoteProtocol.TextEmbeddingsInference;
            o.BaseUrl = new Uri("http://embeddings.internal:8080");
            o.ApiKey = "hf_abcdefghijklmnop";
        }));

        Assert.Contains("clear text over http:// to 'embeddings.internal:8080'", message, StringComparison.Ordinal);
        Assert.Contains(nameof(HuggingFaceProviderOptions.AllowApiKeyOverHttp), message, StringComparison.Ordinal);
        Assert.DoesNotContain("hf_abcdefghijklmnop", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://127.0.0.1:7860", false)]
    [InlineData("http://localhost:7860", false)]
    [InlineData("http://embeddings.internal:8080", true)]
    [InlineData("https://embeddings.internal", false)]
    public void Constructor_ApiKeyOverHttp_IsAllowedForLoopbackHttpsOrWhenOptedIn(string baseUrl, bool optIn)
    {
        using var client = new HttpClient();
        using var provider = new HuggingFaceProvider(client, Valid(o =>
        {
            o.Protocol = RemoteProtocol.EmbeddingsServer;
            o.BaseUrl = new Uri(baseUrl);
            o.ApiKey = "secret";
            o.AllowApiKeyOverHttp = optIn;
        }));

        Assert.Equal(RemoteCircuitState.Closed, provider.CircuitState);
    }

    [Fact]
    public void Constructor_PlainHttpWithoutKey_IsAllowed()
    {
        using var client = new HttpClient();
        using var provider = new HuggingFaceProvider(client, Valid(o =>
        {
            o.Protocol = RemoteProtocol.TextEmbeddingsInference;
            o.BaseUrl = new Uri("http://tei.internal:8080");
        }));

        Assert.Equal(new Uri("http://tei.internal:8080/embed"), provider.Metadata.ProviderUri);
    }

    [Fact]
    public void Constructor_InvalidValues_ListsEveryProblem()
    {
        string message = Refused(new HuggingFaceProviderOptions
        {
            ModelId = null,
            BatchSize = 0,
            MaxRetries = 11,
            Timeout = TimeSpan.Zero,
            MaxConcurrentRequests = 0,
        });

        Assert.Contains(nameof(HuggingFaceProviderOptions.ModelId), message, StringComparison.Ordinal);
        Assert.Contains(nameof(HuggingFaceProviderOptions.BatchSize), message, StringComparison.Ordinal);
        Assert.Contains(nameof(HuggingFaceProviderOptions.MaxRetries), message, StringComparison.Ordinal);
        Assert.Contains(nameof(HuggingFaceProviderOptions.Timeout), message, StringComparison.Ordinal);
        Assert.Contains(nameof(HuggingFaceProviderOptions.MaxConcurrentRequests), message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_CircuitBreakerBelowPollyMinimums_IsRefused()
    {
        string message = Refused(Valid(o =>
        {
            o.CircuitBreaker.BreakDuration = TimeSpan.FromMilliseconds(100);
            o.CircuitBreaker.MinimumThroughput = 1;
        }));

        Assert.Contains(nameof(RemoteCircuitBreakerOptions.BreakDuration), message, StringComparison.Ordinal);
        Assert.Contains(nameof(RemoteCircuitBreakerOptions.MinimumThroughput), message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(RemoteProtocol.HuggingFaceInference, EmbeddingModalities.Image, "carries only Text, not Image")]
    [InlineData(RemoteProtocol.TextEmbeddingsInference, EmbeddingModalities.Text | EmbeddingModalities.Image, "carries only Text, not Image")]
    [InlineData(RemoteProtocol.EmbeddingsServer, EmbeddingModalities.None, "At least one modality")]
    public void Constructor_ModalitiesTheProtocolCannotCarry_AreRefused(RemoteProtocol protocol, EmbeddingModalities modalities, string expected)
    {
        Assert.Contains(expected, Refused(Valid(o =>
        {
            o.Protocol = protocol;
            o.Modalities = modalities;
        })), StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_BothPrices_AreRefused()
    {
        Assert.Contains("not both", Refused(Valid(o =>
        {
            o.PricePerInput = 0.001m;
            o.PricePer1KTokens = 0.01m;
        })), StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_MaxRetryDelayBelowRetryDelay_IsRefused()
    {
        Assert.Contains(nameof(HuggingFaceProviderOptions.MaxRetryDelay), Refused(Valid(o =>
        {
            o.RetryDelay = TimeSpan.FromSeconds(5);
            o.MaxRetryDelay = TimeSpan.FromSeconds(1);
        })), StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_CopiesTheOptions_LaterChangesHaveNoEffect()
    {
        using var client = new HttpClient();
        HuggingFaceProviderOptions options = Valid(o => o.ExpectedDimensions = 768);
        using var provider = new HuggingFaceProvider(client, options);

        options.ExpectedDimensions = 3;
        options.ModelId = "other";

        Assert.Equal(768, provider.Metadata.Dimensions);
        Assert.Equal("google/embeddinggemma-300m", provider.Metadata.ModelId);
    }

    [Fact]
    public void Bind_FromConfiguration_SetsEveryKind()
    {
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["BaseUrl"] = "https://xyz.endpoints.huggingface.cloud",
            ["ApiKey"] = "hf_x",
            ["ModelId"] = "google/siglip2-so400m-patch14-384",
            ["Protocol"] = "InferenceEndpoint",
            ["Modalities"] = "Image",
            ["BatchSize"] = "16",
            ["Timeout"] = "00:00:20",
            ["MaxRetries"] = "5",
            ["ExpectedDimensions"] = "1152",
            ["PricePerInput"] = "0.0001",
            ["CircuitBreaker:BreakDuration"] = "00:01:00",
            ["CircuitBreaker:FailureRatio"] = "0.25",
        }).Build();

        HuggingFaceProviderOptions options = configuration.Get<HuggingFaceProviderOptions>()!;

        Assert.Equal(new Uri("https://xyz.endpoints.huggingface.cloud"), options.BaseUrl);
        Assert.Equal(RemoteProtocol.InferenceEndpoint, options.Protocol);
        Assert.Equal(EmbeddingModalities.Image, options.Modalities);
        Assert.Equal(16, options.BatchSize);
        Assert.Equal(TimeSpan.FromSeconds(20), options.Timeout);
        Assert.Equal(5, options.MaxRetries);
        Assert.Equal(1152, options.ExpectedDimensions);
        Assert.Equal(0.0001m, options.PricePerInput);
        Assert.Equal(TimeSpan.FromMinutes(1), options.CircuitBreaker.BreakDuration);
        Assert.Equal(0.25, options.CircuitBreaker.FailureRatio);
        using var client = new HttpClient();
        using var provider = new HuggingFaceProvider(client, options);
        Assert.Equal(EmbeddingModalities.Image, provider.Metadata.Modalities);
    }
}
