using Microsoft.Extensions.AI;

namespace Embeddings;

/// <summary>The outcome for one input: a vector, or the typed error that prevented it.</summary>
public sealed class EmbeddingResult
{
    private EmbeddingResult(Embedding<float>? embedding, EmbeddingException? error, string providerName)
    {
        Embedding = embedding;
        Error = error;
        ProviderName = providerName;
    }

    /// <summary>Gets the embedding, or <see langword="null"/> when the input failed.</summary>
    public Embedding<float>? Embedding { get; }

    /// <summary>Gets the error, or <see langword="null"/> when the input succeeded.</summary>
    public EmbeddingException? Error { get; }

    /// <summary>Gets the name of the provider that produced this result (with fallback, the one that served it).</summary>
    public string ProviderName { get; }

    /// <summary>Gets a value indicating whether the input produced a vector.</summary>
    public bool Succeeded => Error is null;

    /// <summary>Gets the vector.</summary>
    /// <exception cref="EmbeddingException">The input failed; this is its error.</exception>
    public ReadOnlyMemory<float> Vector => Embedding?.Vector ?? throw Error!;

    /// <summary>Creates a successful result.</summary>
    /// <param name="embedding">The embedding.</param>
    /// <param name="providerName">The provider that produced it.</param>
    /// <returns>The result.</returns>
    public static EmbeddingResult Success(Embedding<float> embedding, string providerName)
    {
        ArgumentNullException.ThrowIfNull(embedding);
        ArgumentException.ThrowIfNullOrEmpty(providerName);
        return new(embedding, null, providerName);
    }

    /// <summary>Creates a failed result.</summary>
    /// <param name="error">What went wrong.</param>
    /// <param name="providerName">The provider that reported it.</param>
    /// <returns>The result.</returns>
    public static EmbeddingResult Failure(EmbeddingException error, string providerName)
    {
        ArgumentNullException.ThrowIfNull(error);
        ArgumentException.ThrowIfNullOrEmpty(providerName);
        return new(null, error, providerName);
    }
}
