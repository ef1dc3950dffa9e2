namespace Embeddings;

/// <summary>A remote embedding service did not produce a valid vector.</summary>
public sealed class RemoteEmbeddingException : EmbeddingException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="kind">What kind of failure it was.</param>
    /// <param name="message">What went wrong (never containing credentials).</param>
    /// <param name="statusCode">The HTTP status code of the last attempt, if one was received.</param>
    /// <param name="attempts">How many attempts were made.</param>
    /// <param name="innerException">The underlying failure, if any.</param>
    public RemoteEmbeddingException(RemoteFailureKind kind, string message, int? statusCode = null, int attempts = 1, Exception? innerException = null)
        : base(message, innerException)
    {
        Kind = kind;
        StatusCode = statusCode;
        Attempts = attempts;
    }

    /// <summary>Gets what kind of failure it was.</summary>
    public RemoteFailureKind Kind { get; }

    /// <summary>Gets the HTTP status code of the last attempt, if one was received.</summary>
    public int? StatusCode { get; }

    /// <summary>Gets how many attempts were made.</summary>
    public int Attempts { get; }

    /// <summary>Gets a value indicating whether trying again later may succeed.</summary>
    public bool IsTransient => Kind is RemoteFailureKind.Transport or RemoteFailureKind.Timeout or RemoteFailureKind.RateLimited
        or RemoteFailureKind.CircuitOpen
        || (Kind == RemoteFailureKind.HttpStatus && StatusCode is >= 500 or 408);
}
