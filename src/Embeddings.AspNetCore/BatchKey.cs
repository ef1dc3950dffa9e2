namespace Embeddings.AspNetCore;

/// <summary>The per-call options of queued work: only requests with equal keys share a provider call.</summary>
/// <param name="PromptName">The prompt name, or <see langword="null"/> for none.</param>
/// <param name="Dimensions">The Matryoshka dimension, or <see langword="null"/> for the model's.</param>
/// <param name="Normalize">Whether to normalize, or <see langword="null"/> for the provider's default.</param>
internal readonly record struct BatchKey(string? PromptName, int? Dimensions, bool? Normalize)
{
    /// <summary>Creates the options of a provider call for this key.</summary>
    public EmbeddingRequestOptions? ToOptions() => this == default
        ? null
        : new EmbeddingRequestOptions { PromptName = PromptName, Dimensions = Dimensions, Normalize = Normalize };
}
