using System.Diagnostics.Metrics;
using Embeddings.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Embeddings.Composition;

/// <summary>Puts a fallback behind any <see cref="IEmbeddingProvider"/>.</summary>
public static class FallbackProviderExtensions
{
    /// <summary>
    /// Serves the inputs this provider fails (or all of them while its circuit is open) with
    /// <paramref name="fallback"/>, a provider of the same model (typically a local one behind a remote service).
    /// </summary>
    /// <param name="primary">The provider tried first.</param>
    /// <param name="fallback">The provider tried next.</param>
    /// <param name="options">Settings, or <see langword="null"/> for the defaults (the returned provider owns and
    /// disposes both).</param>
    /// <param name="loggerFactory">Where fallbacks are logged, or <see langword="null"/>.</param>
    /// <param name="meterFactory">Creates the <c>Embeddings</c> meter, or <see langword="null"/> for a shared one.</param>
    /// <param name="usageObserver">Receives a usage record for every call that serves fallen-back inputs, or
    /// <see langword="null"/>.</param>
    /// <returns>The fallback provider.</returns>
    /// <exception cref="ArgumentException">The providers declare different model ids or dimensions (see
    /// <see cref="FallbackProviderOptions.AssumeCompatible"/>), or an option is invalid.</exception>
    public static FallbackProvider WithFallback(
        this IEmbeddingProvider primary,
        IEmbeddingProvider fallback,
        FallbackProviderOptions? options = null,
        ILoggerFactory? loggerFactory = null,
        IMeterFactory? meterFactory = null,
        IEmbeddingUsageObserver? usageObserver = null)
    {
        ArgumentNullException.ThrowIfNull(primary);
        ArgumentNullException.ThrowIfNull(fallback);
        return new FallbackProvider([primary, fallback], options, loggerFactory, meterFactory, usageObserver);
    }
}
