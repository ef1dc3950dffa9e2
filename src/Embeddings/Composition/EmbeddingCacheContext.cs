namespace Embeddings.Composition;

/// <summary>
/// The part of a cache key that is not the content: model id and revision, modality, prompt, dimensions and
/// normalization, hashed. <see cref="KeyPrefix"/> starts every key of this context; <see cref="Check"/> is a
/// different slice of the same hash, stored in each value's header so a value written for another context (a
/// collision, a misplaced or corrupt value) is recognised and ignored.
/// </summary>
/// <param name="KeyPrefix">The configured prefix followed by 16 hex digits of the context hash and a colon.</param>
/// <param name="Check">Eight further bytes of the context hash.</param>
internal readonly record struct EmbeddingCacheContext(string KeyPrefix, ulong Check);
