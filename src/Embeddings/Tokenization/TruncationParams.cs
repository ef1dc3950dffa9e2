namespace Embeddings.Tokenization;

/// <summary>Resolved truncation settings for one call.</summary>
internal readonly record struct TruncationParams(int MaxLength, TruncationStrategy Strategy, TruncationSide Side);
