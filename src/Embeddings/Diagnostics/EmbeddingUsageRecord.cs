namespace Embeddings.Diagnostics;

/// <summary>
/// What one call to an embedding service did: one record per request batch (with its retries), for cost and usage
/// accounting. Holds no input content and no credentials.
/// </summary>
public sealed record EmbeddingUsageRecord
{
    /// <summary>Gets when the call started.</summary>
    public required DateTimeOffset Timestamp { get; init; }

    /// <summary>Gets the provider that made the call, for example <c>huggingface</c>.</summary>
    public required string ProviderName { get; init; }

    /// <summary>Gets the model id.</summary>
    public required string ModelId { get; init; }

    /// <summary>Gets the modality of the inputs.</summary>
    public required EmbeddingModalities Modality { get; init; }

    /// <summary>Gets the task or route, for example <c>feature-extraction</c>, <c>embed</c> or <c>image-embedding</c>.</summary>
    public string? TaskName { get; init; }

    /// <summary>Gets the service endpoint (scheme, host, port and path only).</summary>
    public string? Endpoint { get; init; }

    /// <summary>Gets how many inputs the call carried.</summary>
    public required int Inputs { get; init; }

    /// <summary>Gets how many of them produced a vector.</summary>
    public int Succeeded { get; init; }

    /// <summary>Gets the time from the start of the first attempt to the end of the last, retry delays included.</summary>
    public required TimeSpan Latency { get; init; }

    /// <summary>Gets how many requests were sent (0 when the circuit breaker refused the call).</summary>
    public int Attempts { get; init; }

    /// <summary>Gets how the call ended.</summary>
    public required EmbeddingCallOutcome Outcome { get; init; }

    /// <summary>Gets the kind of failure, when <see cref="Outcome"/> is <see cref="EmbeddingCallOutcome.Failed"/>.</summary>
    public RemoteFailureKind? FailureKind { get; init; }

    /// <summary>Gets the HTTP status of the last attempt, when one was received.</summary>
    public int? StatusCode { get; init; }

    /// <summary>Gets why a fallback served these inputs instead, when one did (set by a fallback provider).</summary>
    public string? FallbackReason { get; init; }

    /// <summary>Gets the input token count the service reported, if it reported one.</summary>
    public int? InputTokens { get; init; }

    /// <summary>
    /// Gets the cost, in the unit of the configured price, or <see langword="null"/> when no price is configured or
    /// the usage it applies to (tokens) was not reported. Failed calls cost nothing here.
    /// </summary>
    public decimal? Cost { get; init; }
}
