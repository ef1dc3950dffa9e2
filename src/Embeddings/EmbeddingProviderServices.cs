namespace Embeddings;

/// <summary>The part of <see cref="IEmbeddingProvider.GetService"/> that every provider answers alike.</summary>
internal static class EmbeddingProviderServices
{
    /// <summary>
    /// Answers an unkeyed request for <see cref="EmbeddingProviderMetadata"/> (the provider's own) or for a type the
    /// provider is; <see langword="null"/> for anything else, so the caller can go on to its own services.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="serviceType"/> is null.</exception>
    public static object? GetOwnService(IEmbeddingProvider provider, Type serviceType, object? serviceKey)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is not null)
        {
            return null;
        }

        if (serviceType == typeof(EmbeddingProviderMetadata))
        {
            return provider.Metadata;
        }

        return serviceType.IsInstanceOfType(provider) ? provider : null;
    }
}
