namespace Embeddings.Remote;

/// <summary>The per-call settings a request is built and checked with.</summary>
/// <param name="Normalize">Whether vectors are L2-normalized.</param>
/// <param name="Dimensions">The Matryoshka dimension asked for, if any.</param>
/// <param name="PromptName">The prompt name passed to the service, if any.</param>
internal readonly record struct RequestSettings(bool Normalize, int? Dimensions, string? PromptName);
