namespace Embeddings.Remote;

/// <summary>The state of a remote provider's circuit breaker, readable without making a call.</summary>
public enum RemoteCircuitState
{
    /// <summary>The service is healthy as far as the provider knows: calls go through.</summary>
    Closed,

    /// <summary>The service failed recently: calls fail at once with <see cref="RemoteFailureKind.CircuitOpen"/>
    /// without reaching it, until the break duration has passed.</summary>
    Open,

    /// <summary>The break duration has passed: the next call is a probe; its success closes the circuit, its failure
    /// opens it again.</summary>
    HalfOpen,
}
