namespace Embeddings.AspNetCore;

/// <summary>An error answer: its status, a message that names the problem (never input content or credentials), and
/// its category.</summary>
/// <param name="StatusCode">The HTTP status.</param>
/// <param name="Message">What is wrong.</param>
/// <param name="Type">The category, as TEI names them (<c>Validation</c>, <c>Empty</c>, <c>Overloaded</c>, ...).</param>
internal sealed record ApiError(int StatusCode, string Message, string Type)
{
    /// <summary>Gets the seconds to send in <c>Retry-After</c>, if any.</summary>
    public int? RetryAfterSeconds { get; init; }

    /// <summary>Gets the <c>WWW-Authenticate</c> challenge to send, if any.</summary>
    public string? Challenge { get; init; }

    /// <summary>Gets the request field the error is about, if one (OpenAI's <c>param</c>).</summary>
    public string? Param { get; init; }
}
