namespace WebApi;

/// <summary>The body of <c>POST /similar</c>.</summary>
/// <param name="Query">The text to compare with.</param>
/// <param name="Candidates">The texts to rank.</param>
internal sealed record SimilarRequest(string Query, string[] Candidates);
