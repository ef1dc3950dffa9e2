using System.ComponentModel.DataAnnotations;

namespace Embeddings.Remote;

/// <summary>
/// When a <see cref="HuggingFaceProvider"/> stops calling a failing service. The circuit opens when, within
/// <see cref="SamplingDuration"/>, at least <see cref="MinimumThroughput"/> attempts were made and at least
/// <see cref="FailureRatio"/> of them failed; while it is open calls fail at once. After <see cref="BreakDuration"/>
/// one probe call is let through; its success closes the circuit.
/// </summary>
/// <remarks>
/// Failures are transport errors, timeouts, 408, 429, 5xx and malformed responses. Other 4xx answers (400, 401, 403,
/// 404, 413, 422) are the caller's problem, not the service's, and do not count; nor do cancelled calls.
/// </remarks>
public sealed class RemoteCircuitBreakerOptions
{
    /// <summary>Gets or sets a value indicating whether the circuit breaker is used.</summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool Enabled { get; set; } = true;

    /// <summary>Gets or sets the share of failed attempts, within the sampling window, that opens the circuit.</summary>
    /// <value>The default is 0.5.</value>
    [Range(0.01, 1.0)]
    public double FailureRatio { get; set; } = HuggingFaceProviderDefaults.FailureRatio;

    /// <summary>Gets or sets the fewest attempts in the sampling window before the circuit may open.</summary>
    /// <value>The default is 4.</value>
    [Range(2, int.MaxValue)]
    public int MinimumThroughput { get; set; } = HuggingFaceProviderDefaults.MinimumThroughput;

    /// <summary>Gets or sets the window over which failures are counted.</summary>
    /// <value>The default is 30 seconds.</value>
    [Range(typeof(TimeSpan), HuggingFaceProviderDefaults.MinBreakDuration, HuggingFaceProviderDefaults.MaxDuration)]
    public TimeSpan SamplingDuration { get; set; } = HuggingFaceProviderDefaults.SamplingDuration;

    /// <summary>Gets or sets how long the circuit stays open before a probe is let through.</summary>
    /// <value>The default is 30 seconds (at least 0.5 seconds).</value>
    [Range(typeof(TimeSpan), HuggingFaceProviderDefaults.MinBreakDuration, HuggingFaceProviderDefaults.MaxDuration)]
    public TimeSpan BreakDuration { get; set; } = HuggingFaceProviderDefaults.BreakDuration;

    internal RemoteCircuitBreakerOptions Clone() => (RemoteCircuitBreakerOptions)MemberwiseClone();
}
