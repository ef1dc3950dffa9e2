using Embeddings;
using Embeddings.Composition;
using Embeddings.Diagnostics;
using Embeddings.Local;
using Embeddings.Remote;

namespace Snippets;

/// <summary>A remote service with the local model as fallback, caching and usage records, without dependency
/// injection.</summary>
internal static class RemoteSnippets
{
    public static async Task FallbackAsync()
    {
        #region snippet: remote-fallback
        HuggingFaceProvider remote = HuggingFaceProvider.Create(new HuggingFaceProviderOptions
        {
            BaseUrl = new Uri("https://my-endpoint.endpoints.huggingface.cloud"),
            Protocol = RemoteProtocol.InferenceEndpoint,   // texts and images, base64 JSON
            ModelId = "google/siglip2-base-patch16-224",
            ApiKey = Environment.GetEnvironmentVariable("HUGGINGFACE_API_KEY"),
            Timeout = TimeSpan.FromSeconds(10),            // per attempt
            MaxRetries = 2,                                // on 5xx, 429 (honouring Retry-After) and timeouts
        });
        LocalOnnxProvider local = await LocalOnnxProvider.CreateAsync("google/siglip2-base-patch16-224");

        // Remote first; inputs it fails go to the local model. While its circuit is open, everything goes local at once.
        using IEmbeddingProvider provider = remote.WithFallback(local);

        ReadOnlyMemory<float> vector = await provider.EmbedImageFileAsync("photos/beach.jpg");
        #endregion
        _ = vector;
    }

    public static void Cache(LocalOnnxProvider local)
    {
        #region snippet: cache
        // The same input (same bytes, same options, same model) is embedded once; later calls read the cache.
        using CachingEmbeddingProvider cached = local.WithMemoryCache(new EmbeddingCacheOptions
        {
            MemorySizeLimitBytes = 256L * 1024 * 1024,
            SlidingExpiration = TimeSpan.FromHours(1),
        });
        #endregion
    }

    #region snippet: usage-observer
    // Receives one record per remote call and per fallback: model, inputs, latency, attempts, outcome, cost.
    internal sealed class CostLog : IEmbeddingUsageObserver
    {
        public void OnUsage(EmbeddingUsageRecord record) =>
            Console.WriteLine($"{record.ProviderName} {record.ModelId}: {record.Inputs} inputs, {record.Outcome}, "
                + $"{record.Latency.TotalMilliseconds:0} ms, cost {record.Cost?.ToString() ?? "not priced"}");
    }
    #endregion

    public static HuggingFaceProvider Observed(HuggingFaceProviderOptions options)
    {
        #region snippet: usage-observer-create
        options.PricePerInput = 0.0001m;   // cost is recorded only when a price is configured
        HuggingFaceProvider remote = HuggingFaceProvider.Create(options, usageObserver: new CostLog());
        #endregion
        return remote;
    }
}
