namespace Embeddings.Remote;

/// <summary>The vectors read from a response body, before they are checked against the request.</summary>
/// <param name="Vectors">One vector per item, in the order the server gave (or its <c>index</c> fields said).</param>
/// <param name="PromptTokens">The input token count the server reported, if any.</param>
/// <param name="WasTokenLevel">Whether the server returned token-level vectors that were mean-pooled here.</param>
internal sealed record ParsedEmbeddings(float[][] Vectors, int? PromptTokens, bool WasTokenLevel);
