namespace Embeddings.AspNetCore;

/// <summary>The outcome of checking a request's bearer token.</summary>
internal enum BearerTokenCheck
{
    /// <summary>The token is the configured one.</summary>
    Valid,

    /// <summary>No bearer token was presented.</summary>
    Missing,

    /// <summary>A token was presented and it is not the configured one.</summary>
    Invalid,
}
