namespace Embeddings.Tokenization;

/// <summary>The <c>padding</c> section of a tokenizer.json.</summary>
internal sealed record StoredPadding(string? PadToken, int? PadId, int PadTypeId, PaddingSide Direction);
