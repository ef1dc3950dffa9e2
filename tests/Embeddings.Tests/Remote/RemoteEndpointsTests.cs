namespace Embeddings.Remote;

public sealed class RemoteEndpointsTests
{
    [Theory]
    [InlineData("https://router.huggingface.co", "https://router.huggingface.co/hf-inference/models/google/embeddinggemma-300m/pipeline/feature-extraction")]
    [InlineData("https://router.huggingface.co/", "https://router.huggingface.co/hf-inference/models/google/embeddinggemma-300m/pipeline/feature-extraction")]
    [InlineData("https://router.huggingface.co/hf-inference", "https://router.huggingface.co/hf-inference/models/google/embeddinggemma-300m/pipeline/feature-extraction")]
    [InlineData("https://proxy.example.com/hf/", "https://proxy.example.com/hf/hf-inference/models/google/embeddinggemma-300m/pipeline/feature-extraction")]
    [InlineData("https://api-inference.huggingface.co", "https://router.huggingface.co/hf-inference/models/google/embeddinggemma-300m/pipeline/feature-extraction")]
    [InlineData("https://api-inference.huggingface.co/models", "https://router.huggingface.co/hf-inference/models/google/embeddinggemma-300m/pipeline/feature-extraction")]
    public void Resolve_Router_BuildsTheFeatureExtractionPath(string baseUrl, string expected)
    {
        RemoteEndpoints endpoints = RemoteEndpoints.Resolve(new Uri(baseUrl), "google/embeddinggemma-300m", RemoteProtocol.HuggingFaceInference);

        Assert.Equal(new Uri(expected), endpoints.TextUri);
        Assert.Null(endpoints.ImageUri);
        Assert.Equal(baseUrl.Contains("api-inference", StringComparison.Ordinal), endpoints.LegacyHostMapped);
    }

    [Fact]
    public void Resolve_RouterWithUrlModelId_UsesItVerbatim()
    {
        RemoteEndpoints endpoints = RemoteEndpoints.Resolve(new Uri("https://router.huggingface.co"), "https://xyz.endpoints.huggingface.cloud/", RemoteProtocol.HuggingFaceInference);

        Assert.Equal(new Uri("https://xyz.endpoints.huggingface.cloud/"), endpoints.TextUri);
    }

    [Fact]
    public void Resolve_ModelIdWithUnsafeCharacters_IsEscapedPerSegment()
    {
        RemoteEndpoints endpoints = RemoteEndpoints.Resolve(new Uri("https://router.huggingface.co"), "org/model name?x", RemoteProtocol.HuggingFaceInference);

        Assert.Equal("/hf-inference/models/org/model%20name%3Fx/pipeline/feature-extraction", endpoints.TextUri.AbsolutePath);
    }

    [Theory]
    [InlineData(RemoteProtocol.TextEmbeddingsInference, "http://tei:8080", "http://tei:8080/embed", null)]
    [InlineData(RemoteProtocol.OpenAI, "https://api.example.com", "https://api.example.com/v1/embeddings", "https://api.example.com/v1/embeddings")]
    [InlineData(RemoteProtocol.OpenAI, "https://api.example.com/v1", "https://api.example.com/v1/embeddings", "https://api.example.com/v1/embeddings")]
    [InlineData(RemoteProtocol.EmbeddingsServer, "http://localhost:7860", "http://localhost:7860/predict", "http://localhost:7860/embed_image")]
    [InlineData(RemoteProtocol.EmbeddingsServer, "http://localhost:7860/api/", "http://localhost:7860/api/predict", "http://localhost:7860/api/embed_image")]
    [InlineData(RemoteProtocol.InferenceEndpoint, "https://xyz.endpoints.huggingface.cloud", "https://xyz.endpoints.huggingface.cloud/", "https://xyz.endpoints.huggingface.cloud/")]
    public void Resolve_OtherProtocols_BuildTheirRoutes(RemoteProtocol protocol, string baseUrl, string text, string? image)
    {
        RemoteEndpoints endpoints = RemoteEndpoints.Resolve(new Uri(baseUrl), "m", protocol);

        Assert.Equal(new Uri(text), endpoints.TextUri);
        Assert.Equal(image is null ? null : new Uri(image), endpoints.ImageUri);
    }

    [Fact]
    public void Display_DropsUserInfoAndQuery()
    {
        Assert.Equal("https://host:8443/path", RemoteEndpoints.Display(new Uri("https://user:secret@host:8443/path?token=abc")));
    }

    [Fact]
    public void Resolve_NonHttpBaseUrl_Throws()
    {
        Assert.Throws<ArgumentException>(() => RemoteEndpoints.Resolve(new Uri("ftp://host/"), "m", RemoteProtocol.TextEmbeddingsInference));
    }
}
