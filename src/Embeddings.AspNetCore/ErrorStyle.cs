namespace Embeddings.AspNetCore;

/// <summary>The shape of error bodies on a route.</summary>
internal enum ErrorStyle
{
    /// <summary>TEI's <c>{"error": "...", "error_type": "..."}</c> (also what the remote client reads).</summary>
    Tei,

    /// <summary>OpenAI's <c>{"error": {"message", "type", "param", "code"}}</c>.</summary>
    OpenAI,
}
