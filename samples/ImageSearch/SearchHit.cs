namespace ImageSearch;

/// <summary>One ranked image.</summary>
/// <param name="Path">The image file.</param>
/// <param name="Score">Cosine similarity to the query: 1 for the same image.</param>
internal readonly record struct SearchHit(string Path, float Score);
