namespace Embeddings.Remote;

/// <summary>The defaults and limits of <see cref="HuggingFaceProviderOptions"/> and <see cref="RemoteCircuitBreakerOptions"/>.</summary>
internal static class HuggingFaceProviderDefaults
{
    public const string RouterUrl = "https://router.huggingface.co";
    public const string LegacyInferenceHost = "api-inference.huggingface.co";
    public const string ProviderName = "huggingface";
    public const int BatchSize = 10;
    public const int MaxBatchSize = 4096;
    public const int MaxConcurrentRequests = 8;
    public const int MaxRetries = 3;
    public const int MaxRetriesLimit = 10;
    public const long MaxImageBytes = 20L * 1024 * 1024;
    public const long MaxResponseBytes = 256L * 1024 * 1024;
    public const double FailureRatio = 0.5;
    public const int MinimumThroughput = 4;

    // Range attribute bounds (strings, as DataAnnotations want them for TimeSpan).
    public const string MinTimeout = "00:00:00.001";
    public const string MinBreakDuration = "00:00:00.5";
    public const string MaxDuration = "1.00:00:00";
    public const string ZeroDuration = "00:00:00";

    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    public static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan SamplingDuration = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan BreakDuration = TimeSpan.FromSeconds(30);
}
