namespace Embeddings.Cli;

/// <summary>One input read from the command line or stdin: the input, or why its line could not be read.</summary>
/// <param name="Input">The input, or <see langword="null"/> when <paramref name="Error"/> is set.</param>
/// <param name="Error">Why the line could not be read.</param>
internal readonly record struct InputItem(EmbeddingInput? Input, EmbeddingException? Error);
