namespace Embeddings.Local;

/// <summary>One call's options, resolved against the model.</summary>
/// <param name="Prompt">The prompt text prepended to texts, or <see langword="null"/>.</param>
/// <param name="Dimensions">The size of the returned vectors.</param>
/// <param name="Normalize">Whether vectors are L2-normalized (after truncation).</param>
internal sealed record RequestSettings(string? Prompt, int Dimensions, bool Normalize);
