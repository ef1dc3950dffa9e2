using System.Diagnostics.Metrics;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Logging;

namespace Embeddings.Composition;

/// <summary>Adds a cache in front of any <see cref="IEmbeddingProvider"/>.</summary>
/// <remarks>The cached provider is an <see cref="IEmbeddingProvider"/> like any other, so its
/// <c>AsEmbeddingGenerator()</c> and <c>AsImageEmbeddingGenerator()</c> generators are cached too.</remarks>
public static class CachingEmbeddingProviderExtensions
{
    /// <summary>Caches the provider's vectors in memory, in a cache of its own bounded by
    /// <see cref="EmbeddingCacheOptions.MemorySizeLimitBytes"/>.</summary>
    /// <param name="provider">The provider; disposed with the returned one.</param>
    /// <param name="options">Settings, or <see langword="null"/> for the defaults.</param>
    /// <param name="loggerFactory">Where cache failures are logged, or <see langword="null"/>.</param>
    /// <param name="meterFactory">Creates the <c>Embeddings</c> meter, or <see langword="null"/> for a shared one.</param>
    /// <returns>The caching provider.</returns>
    /// <exception cref="ArgumentException">An option is invalid.</exception>
    public static CachingEmbeddingProvider WithMemoryCache(
        this IEmbeddingProvider provider,
        EmbeddingCacheOptions? options = null,
        ILoggerFactory? loggerFactory = null,
        IMeterFactory? meterFactory = null) =>
        CachingEmbeddingProvider.CreateWithMemoryCache(provider, options, loggerFactory, meterFactory);

    /// <summary>Caches the provider's vectors in a distributed cache (Redis, SQL Server, ...).</summary>
    /// <param name="provider">The provider; disposed with the returned one.</param>
    /// <param name="cache">The cache; not disposed by the returned provider.</param>
    /// <param name="options">Settings, or <see langword="null"/> for the defaults.</param>
    /// <param name="loggerFactory">Where cache failures are logged, or <see langword="null"/>.</param>
    /// <param name="meterFactory">Creates the <c>Embeddings</c> meter, or <see langword="null"/> for a shared one.</param>
    /// <returns>The caching provider.</returns>
    /// <exception cref="ArgumentException">An option is invalid.</exception>
    public static CachingEmbeddingProvider WithCache(
        this IEmbeddingProvider provider,
        IDistributedCache cache,
        EmbeddingCacheOptions? options = null,
        ILoggerFactory? loggerFactory = null,
        IMeterFactory? meterFactory = null) =>
        new(provider, cache, options, loggerFactory, meterFactory);

    /// <summary>Caches the provider's vectors in an existing memory cache; entries are sized in bytes.</summary>
    /// <param name="provider">The provider; disposed with the returned one.</param>
    /// <param name="cache">The cache; not disposed by the returned provider.</param>
    /// <param name="options">Settings, or <see langword="null"/> for the defaults.</param>
    /// <param name="loggerFactory">Where cache failures are logged, or <see langword="null"/>.</param>
    /// <param name="meterFactory">Creates the <c>Embeddings</c> meter, or <see langword="null"/> for a shared one.</param>
    /// <returns>The caching provider.</returns>
    /// <exception cref="ArgumentException">An option is invalid.</exception>
    public static CachingEmbeddingProvider WithCache(
        this IEmbeddingProvider provider,
        IMemoryCache cache,
        EmbeddingCacheOptions? options = null,
        ILoggerFactory? loggerFactory = null,
        IMeterFactory? meterFactory = null) =>
        new(provider, cache, options, loggerFactory, meterFactory);
}
