using Embeddings.Remote;
using Embeddings.TestSupport;
using Microsoft.Extensions.AI;

namespace Embeddings.Composition;

/// <summary>Providers for fallback tests: fakes standing in for a local model, and the real remote provider.</summary>
internal static class FallbackTestProviders
{
    public const string Model = RemoteTestHelpers.ModelId;

    /// <summary>A fake "local" provider of <see cref="Model"/> whose vectors are <see cref="OptionAwareVectors.For"/>
    /// (streams and files are read), optionally after a fixed delay per call.</summary>
    public static TestEmbeddingProvider LocalFake(
        int dimensions = 8,
        string name = "local",
        string model = Model,
        EmbeddingModalities modalities = EmbeddingModalities.Text | EmbeddingModalities.Image,
        TimeSpan? delay = null)
    {
        TestEmbeddingProvider local = OptionAwareVectors.Provider(new EmbeddingProviderMetadata(name, model, dimensions, modalities, ["query"]));
        if (delay is { } d)
        {
            local.OnCall = (_, token) => Task.Delay(d, token);
        }

        return local;
    }

    /// <summary>A fake that fails the inputs <paramref name="fails"/> picks (with the error it returns) and embeds the
    /// rest like <see cref="Local"/>.</summary>
    public static TestEmbeddingProvider Failing(string name, Func<EmbeddingInput, EmbeddingException?> fails, int dimensions = 8)
    {
        TestEmbeddingProvider provider = LocalFake(dimensions, name);
        EmbeddingProviderMetadata metadata = provider.Metadata;
        provider.EmbedOne = (input, options) => fails(input) is { } error
            ? EmbeddingResult.Failure(error, name)
            : EmbeddingResult.Success(new Embedding<float>(OptionAwareVectors.For(metadata, input, options)) { ModelId = metadata.ModelId }, name);
        return provider;
    }

    /// <summary>The vector a fake provider gives an input.</summary>
    public static float[] VectorOf(IEmbeddingProvider provider, EmbeddingInput input, EmbeddingRequestOptions? options = null) =>
        OptionAwareVectors.For(provider.Metadata, input, options);

    /// <summary>The vector the test server's fake model gives a text, normalized as the remote provider returns it.</summary>
    public static float[] RemoteVector(string text, int dimensions = 8) => FakeEmbedding.Normalized(FakeEmbedding.ForText(text, dimensions));

    /// <summary>A remote error of the given kind, as the remote provider reports it.</summary>
    public static RemoteEmbeddingException RemoteError(RemoteFailureKind kind, int? status = null) =>
        new(kind, $"injected {kind}", status);

    /// <summary>Options for a remote provider on the test server: no retries, breaker off, 5 s attempts.</summary>
    public static HuggingFaceProviderOptions RemoteOptions(FaultInjectingServer server, Action<HuggingFaceProviderOptions>? configure = null) =>
        RemoteTestHelpers.Options(server, configure: o =>
        {
            o.MaxRetries = 0;
            configure?.Invoke(o);
        });

    /// <summary>A client for a remote provider; the provider times attempts itself.</summary>
    public static HttpClient Client() => new() { Timeout = Timeout.InfiniteTimeSpan };

    /// <summary>A remote provider over <paramref name="client"/> (which the test disposes).</summary>
    public static HuggingFaceProvider RemoteProvider(
        HttpClient client, HuggingFaceProviderOptions options, TimeProvider? timeProvider = null, Microsoft.Extensions.Logging.ILogger? logger = null) =>
        new(client, options, logger, timeProvider);

    /// <summary>The texts a fake received, call by call.</summary>
    public static string[][] TextsReceived(TestEmbeddingProvider provider)
    {
        lock (provider.Batches)
        {
            return [.. provider.Batches.Select(b => b.Select(i => i.Text ?? i.Kind.ToString()).ToArray())];
        }
    }

    /// <summary>The reason a fallen-back vector carries, or null.</summary>
    public static string? ReasonOf(EmbeddingResult result) =>
        result.Embedding?.AdditionalProperties?.TryGetValue(FallbackProvider.FallbackReasonProperty, out object? reason) == true ? (string?)reason : null;

    /// <summary>The provider a fallen-back vector came from first, or null.</summary>
    public static string? FromOf(EmbeddingResult result) =>
        result.Embedding?.AdditionalProperties?.TryGetValue(FallbackProvider.FallbackFromProperty, out object? from) == true ? (string?)from : null;
}
