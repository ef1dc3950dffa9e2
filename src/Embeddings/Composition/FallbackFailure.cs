namespace Embeddings.Composition;

/// <summary>How one input failed on one provider of a fallback chain.</summary>
/// <param name="Provider">The provider's position in the chain.</param>
/// <param name="ProviderName">The provider's name, for the failed result.</param>
/// <param name="Reason">The reason name (see <see cref="FallbackReasons"/>).</param>
/// <param name="Error">The input's error, when the provider reported one.</param>
/// <param name="Thrown">The exception, when the provider's call threw.</param>
internal readonly record struct FallbackFailure(int Provider, string ProviderName, string Reason, EmbeddingException? Error, Exception? Thrown);
