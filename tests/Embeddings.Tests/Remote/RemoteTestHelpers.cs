using System.Diagnostics;
using Embeddings.TestSupport;

namespace Embeddings.Remote;

/// <summary>Options and assertions shared by the remote provider tests: short timeouts and delays keep the suite fast.</summary>
internal static class RemoteTestHelpers
{
    public const string ModelId = "test-org/test-model";

    /// <summary>Options for a provider talking to a test server: 5 s attempts (fault tests shorten them), 10 ms retry
    /// delays capped at 200 ms, 3 retries, breaker off.</summary>
    public static HuggingFaceProviderOptions Options(
        FaultInjectingServer server, RemoteProtocol protocol = RemoteProtocol.TextEmbeddingsInference, Action<HuggingFaceProviderOptions>? configure = null)
    {
        var options = new HuggingFaceProviderOptions
        {
            BaseUrl = server.BaseUrl,
            ModelId = ModelId,
            Protocol = protocol,
            Timeout = TimeSpan.FromSeconds(5),
            MaxRetries = 3,
            RetryDelay = TimeSpan.FromMilliseconds(10),
            MaxRetryDelay = TimeSpan.FromMilliseconds(200),
        };
        options.CircuitBreaker.Enabled = false;
        configure?.Invoke(options);
        return options;
    }

    /// <summary>A provider over a fresh client; disposing the returned pair disposes both.</summary>
    public static ProviderScope Provider(HuggingFaceProviderOptions options, Microsoft.Extensions.Logging.ILogger? logger = null, Diagnostics.IEmbeddingUsageObserver? observer = null)
    {
        var client = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        return new ProviderScope(client, new HuggingFaceProvider(client, options, logger, usageObserver: observer));
    }

    /// <summary>Asserts a vector equals an expected one within float tolerance.</summary>
    public static void AssertVector(float[] expected, ReadOnlyMemory<float> actual, float tolerance = 1e-6f)
    {
        Assert.Equal(expected.Length, actual.Length);
        ReadOnlySpan<float> a = actual.Span;
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - a[i]) <= tolerance, $"Component {i}: expected {expected[i]}, got {a[i]}.");
        }
    }

    /// <summary>Runs a call and returns its results with the elapsed time.</summary>
    public static async Task<(IReadOnlyList<EmbeddingResult> Results, TimeSpan Elapsed)> TimedAsync(
        IEmbeddingProvider provider, IReadOnlyList<EmbeddingInput> inputs, EmbeddingRequestOptions? options = null)
    {
        var watch = Stopwatch.StartNew();
        IReadOnlyList<EmbeddingResult> results = await provider.EmbedAsync(inputs, options, TestContext.Current.CancellationToken);
        return (results, watch.Elapsed);
    }

    /// <summary>Asserts every result failed with a remote error of the given kind, and returns the first.</summary>
    public static RemoteEmbeddingException AssertRemoteFailure(IReadOnlyList<EmbeddingResult> results, RemoteFailureKind kind)
    {
        Assert.All(results, r => Assert.False(r.Succeeded));
        var error = Assert.IsType<RemoteEmbeddingException>(results[0].Error);
        Assert.Equal(kind, error.Kind);
        Assert.All(results, r => Assert.Same(error, r.Error));
        return error;
    }

    /// <summary>A provider and the client it was built on.</summary>
    internal sealed class ProviderScope(HttpClient client, HuggingFaceProvider provider) : IDisposable
    {
        public HuggingFaceProvider Provider { get; } = provider;

        public void Dispose()
        {
            Provider.Dispose();
            client.Dispose();
        }
    }
}
