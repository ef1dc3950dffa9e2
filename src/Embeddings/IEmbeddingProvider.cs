namespace Embeddings;

/// <summary>
/// Turns texts and images into embedding vectors. The one abstraction every provider (local, remote, fallback,
/// caching) implements.
/// </summary>
/// <remarks>
/// <para>Implementations are safe for concurrent use. They must not be disposed while a call is running.</para>
/// <para><see cref="EmbedAsync"/> returns exactly one result per input, in input order. A bad or failing input becomes
/// a failed <see cref="EmbeddingResult"/> carrying an <see cref="EmbeddingException"/>; it never loses the rest of the
/// batch. The call itself throws only for programming errors (<see cref="ArgumentException"/> for null inputs or
/// options the provider does not support), for cancellation, and after disposal.</para>
/// <para>Use <see cref="EmbeddingProviderExtensions"/> for single-input helpers, streaming, and the
/// Microsoft.Extensions.AI generator adapters.</para>
/// </remarks>
public interface IEmbeddingProvider : IDisposable
{
    /// <summary>Gets what this provider is and produces.</summary>
    EmbeddingProviderMetadata Metadata { get; }

    /// <summary>Embeds a batch of inputs.</summary>
    /// <param name="inputs">The inputs; any mix of the provider's modalities.</param>
    /// <param name="options">Per-call options, or <see langword="null"/> for the defaults.</param>
    /// <param name="cancellationToken">Cancels the call; no result is returned once it is cancelled.</param>
    /// <returns>One result per input, in input order.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="inputs"/> or one of its items is null.</exception>
    /// <exception cref="ArgumentException">An option is not supported by the model (unknown prompt name, dimension).</exception>
    /// <exception cref="OperationCanceledException">The call was cancelled.</exception>
    /// <exception cref="ObjectDisposedException">The provider was disposed.</exception>
    Task<IReadOnlyList<EmbeddingResult>> EmbedAsync(
        IReadOnlyList<EmbeddingInput> inputs,
        EmbeddingRequestOptions? options = null,
        CancellationToken cancellationToken = default);

    /// <summary>Asks the provider for a service it holds (its own concrete type, a circuit state, a tokenizer, ...).</summary>
    /// <param name="serviceType">The type of service requested.</param>
    /// <param name="serviceKey">An optional key.</param>
    /// <returns>The service, or <see langword="null"/> when the provider has none of that type.</returns>
    object? GetService(Type serviceType, object? serviceKey = null);
}
