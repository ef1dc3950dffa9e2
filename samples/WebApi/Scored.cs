namespace WebApi;

/// <summary>One ranked item: its score, or why it could not be scored.</summary>
/// <param name="Item">The candidate text or image file name.</param>
/// <param name="Score">Cosine similarity to the query.</param>
/// <param name="Error">Why the item could not be embedded (never its content).</param>
internal sealed record Scored(string Item, float? Score, string? Error);
