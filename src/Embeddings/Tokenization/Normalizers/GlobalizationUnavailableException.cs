namespace Embeddings.Tokenization;

/// <summary>The runtime lacks what a tokenizer's normalizer needs (its message says what and how to get it).</summary>
internal sealed class GlobalizationUnavailableException(string message) : NotSupportedException(message);
