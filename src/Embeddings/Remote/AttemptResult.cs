namespace Embeddings.Remote;

/// <summary>The outcome of one HTTP attempt: checked vectors, or a classified failure. Failures are values, not
/// exceptions, so the resilience pipeline can decide on them without throwing.</summary>
internal sealed class AttemptResult
{
    private AttemptResult()
    {
    }

    /// <summary>Gets the validated vectors, on success.</summary>
    public float[][]? Vectors { get; private init; }

    /// <summary>Gets the input token count the service reported.</summary>
    public int? PromptTokens { get; private init; }

    /// <summary>Gets a value indicating whether token-level vectors were mean-pooled.</summary>
    public bool WasTokenLevel { get; private init; }

    /// <summary>Gets the failure kind, on failure.</summary>
    public RemoteFailureKind? FailureKind { get; private init; }

    /// <summary>Gets the HTTP status, when a response was received.</summary>
    public int? StatusCode { get; private init; }

    /// <summary>Gets what went wrong (no credentials, no input content).</summary>
    public string? Detail { get; private init; }

    /// <summary>Gets the underlying exception, if any.</summary>
    public Exception? Exception { get; private init; }

    /// <summary>Gets the wait the service asked for (Retry-After or rate-limit headers).</summary>
    public TimeSpan? RetryAfter { get; private init; }

    /// <summary>Gets a value indicating whether the attempt produced vectors.</summary>
    public bool Succeeded => Vectors is not null;

    /// <summary>Gets a value indicating whether another attempt may succeed: transport errors, timeouts, 408, 429, 5xx.</summary>
    public bool IsRetryable => FailureKind switch
    {
        RemoteFailureKind.Transport or RemoteFailureKind.Timeout or RemoteFailureKind.RateLimited => true,
        RemoteFailureKind.HttpStatus => StatusCode is 408 or (>= 500 and not 501 and not 505),
        _ => false,
    };

    /// <summary>Gets a value indicating whether the failure says the service is unhealthy (what the circuit breaker
    /// counts): everything retryable, plus malformed responses.</summary>
    public bool IsServiceFailure => IsRetryable || FailureKind == RemoteFailureKind.MalformedResponse;

    public static AttemptResult Success(float[][] vectors, int? promptTokens, bool wasTokenLevel, int statusCode) =>
        new() { Vectors = vectors, PromptTokens = promptTokens, WasTokenLevel = wasTokenLevel, StatusCode = statusCode };

    public static AttemptResult Failure(RemoteFailureKind kind, string detail, int? statusCode = null, Exception? exception = null, TimeSpan? retryAfter = null) =>
        new() { FailureKind = kind, Detail = detail, StatusCode = statusCode, Exception = exception, RetryAfter = retryAfter };

    /// <summary>Describes the failure briefly for retry logs.</summary>
    public string Reason => FailureKind switch
    {
        RemoteFailureKind.HttpStatus or RemoteFailureKind.RateLimited or RemoteFailureKind.Unauthorized when StatusCode is { } s => $"HTTP {s}",
        RemoteFailureKind.Timeout => "timeout",
        RemoteFailureKind.Transport => $"transport error ({Detail})",
        RemoteFailureKind.MalformedResponse => "malformed response",
        _ => FailureKind?.ToString() ?? "success",
    };
}
