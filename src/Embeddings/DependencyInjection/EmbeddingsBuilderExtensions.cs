using Embeddings.Composition;
using Embeddings.Diagnostics;
using Embeddings.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Chained registrations after <c>AddEmbeddings()</c>.</summary>
public static class EmbeddingsBuilderExtensions
{
    /// <summary>
    /// Puts a cache in front of both providers: vectors are looked up before they are computed. In memory by default;
    /// set <see cref="EmbeddingCacheOptions.Backend"/> to <see cref="EmbeddingCacheBackend.Distributed"/> to use the
    /// application's <c>IDistributedCache</c> (Redis, SQL Server, ...). The <c>Embeddings:Cache</c> configuration
    /// section is applied first; <paramref name="configure"/> after it.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Sets the cache options, or <see langword="null"/> for the defaults.</param>
    /// <returns><paramref name="builder"/>, for chaining.</returns>
    public static IEmbeddingsBuilder AddCache(this IEmbeddingsBuilder builder, Action<EmbeddingCacheOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<EmbeddingsOptions>(builder.Name).Configure(options =>
        {
            options.Cache ??= new EmbeddingCacheOptions();
            configure?.Invoke(options.Cache);
        });
        return builder;
    }

    /// <summary>
    /// Registers an <see cref="IEmbeddingUsageObserver"/> (a singleton) that receives the usage record of every remote
    /// call and of every fallback. Every registered observer receives every record, in registration order; one that
    /// throws is logged and the others still receive it.
    /// </summary>
    /// <typeparam name="TObserver">The observer type.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <returns><paramref name="builder"/>, for chaining.</returns>
    public static IEmbeddingsBuilder AddUsageObserver<TObserver>(this IEmbeddingsBuilder builder)
        where TObserver : class, IEmbeddingUsageObserver
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IEmbeddingUsageObserver, TObserver>());
        return builder;
    }

    /// <summary>Registers an <see cref="IEmbeddingUsageObserver"/> instance; see <see cref="AddUsageObserver{TObserver}(IEmbeddingsBuilder)"/>.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="observer">The observer; not disposed by the container.</param>
    /// <returns><paramref name="builder"/>, for chaining.</returns>
    public static IEmbeddingsBuilder AddUsageObserver(this IEmbeddingsBuilder builder, IEmbeddingUsageObserver observer)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(observer);
        builder.Services.AddSingleton(observer);
        return builder;
    }
}
