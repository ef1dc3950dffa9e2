namespace Embeddings;

/// <summary>What kind of failure a remote call ended in.</summary>
public enum RemoteFailureKind
{
    /// <summary>The connection failed or was dropped.</summary>
    Transport,

    /// <summary>An attempt took longer than the configured timeout.</summary>
    Timeout,

    /// <summary>The service answered with an error status.</summary>
    HttpStatus,

    /// <summary>The service refused for rate limiting (429).</summary>
    RateLimited,

    /// <summary>The credentials were missing or refused (401, 403).</summary>
    Unauthorized,

    /// <summary>The service answered, but not with valid vectors (bad JSON, wrong shape or dimension, non-finite values).</summary>
    MalformedResponse,

    /// <summary>The circuit breaker is open: the service failed recently and is not being called.</summary>
    CircuitOpen,
}
