using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Embeddings.Remote;

/// <summary>
/// Configures a <see cref="HuggingFaceProvider"/>: where the service is, how to talk to it, and how patiently.
/// Bindable from configuration (<c>IConfiguration</c>); validated when the provider is created.
/// </summary>
/// <remarks>
/// <para>The environment variables of the Python system map onto these properties: <c>HUGGINGFACE_API_URL</c> →
/// <see cref="BaseUrl"/>, <c>HUGGINGFACE_API_KEY</c> (or <c>HF_TOKEN</c>) → <see cref="ApiKey"/>,
/// <c>HUGGINGFACE_SIGLIP_MODEL</c> → <see cref="ModelId"/>, <c>HUGGINGFACE_BATCH_SIZE</c> → <see cref="BatchSize"/>,
/// <c>HUGGINGFACE_TIMEOUT</c> → <see cref="Timeout"/> (seconds), <c>HUGGINGFACE_MAX_RETRIES</c> →
/// <see cref="MaxRetries"/>.</para>
/// <para>The worst-case time before a call gives up is about
/// <c>(MaxRetries + 1) × Timeout + the retry delays</c>, or <see cref="TotalTimeout"/> when set; once the circuit
/// breaker opens, calls fail at once.</para>
/// </remarks>
public sealed class HuggingFaceProviderOptions
{
    /// <summary>
    /// Gets or sets the base URL of the service. For <see cref="RemoteProtocol.HuggingFaceInference"/>, the legacy
    /// host <c>api-inference.huggingface.co</c> (which now answers 404/410) is replaced by the router, with a
    /// warning. For <see cref="RemoteProtocol.InferenceEndpoint"/>, this is the endpoint's URL itself.
    /// </summary>
    /// <value>The default is the Hugging Face router, <c>https://router.huggingface.co</c>.</value>
    [Required]
    public Uri BaseUrl { get; set; } = new(HuggingFaceProviderDefaults.RouterUrl);

    /// <summary>
    /// Gets or sets the bearer token sent as <c>Authorization: Bearer …</c>, or <see langword="null"/> to send none.
    /// It never appears in logs, exception messages or telemetry.
    /// </summary>
    public string? ApiKey { get; set; }

    /// <summary>
    /// Gets or sets the model id (for example <c>google/embeddinggemma-300m</c>), used in the router path, in
    /// OpenAI-style requests, and to stamp every vector. For <see cref="RemoteProtocol.HuggingFaceInference"/> a full
    /// <c>https://</c> URL is used as the endpoint verbatim.
    /// </summary>
    [Required]
    public string? ModelId { get; set; }

    /// <summary>Gets or sets the HTTP contract.</summary>
    /// <value>The default is <see cref="RemoteProtocol.HuggingFaceInference"/>.</value>
    public RemoteProtocol Protocol { get; set; } = RemoteProtocol.HuggingFaceInference;

    /// <summary>
    /// Gets or sets the inputs the remote model embeds, or <see langword="null"/> for the protocol's default (text
    /// for the router, TEI and OpenAI-style services; text and images for Inference Endpoints and this project's
    /// server). Inputs of other modalities fail with <see cref="EmbeddingInputError.UnsupportedModality"/> without a
    /// request being made.
    /// </summary>
    public EmbeddingModalities? Modalities { get; set; }

    /// <summary>Gets or sets the most inputs sent in one request.</summary>
    /// <value>The default is 10.</value>
    [Range(1, HuggingFaceProviderDefaults.MaxBatchSize)]
    public int BatchSize { get; set; } = HuggingFaceProviderDefaults.BatchSize;

    /// <summary>Gets or sets the most requests this provider has in flight at once, across all callers.</summary>
    /// <value>The default is 8.</value>
    [Range(1, 1024)]
    public int MaxConcurrentRequests { get; set; } = HuggingFaceProviderDefaults.MaxConcurrentRequests;

    /// <summary>Gets or sets the time one attempt (request and response body) may take.</summary>
    /// <value>The default is 60 seconds.</value>
    [Range(typeof(TimeSpan), HuggingFaceProviderDefaults.MinTimeout, HuggingFaceProviderDefaults.MaxDuration)]
    public TimeSpan Timeout { get; set; } = HuggingFaceProviderDefaults.Timeout;

    /// <summary>Gets or sets the time a batch may take across all its attempts and retry delays, or
    /// <see langword="null"/> for no limit beyond the per-attempt <see cref="Timeout"/>.</summary>
    [Range(typeof(TimeSpan), HuggingFaceProviderDefaults.MinTimeout, HuggingFaceProviderDefaults.MaxDuration)]
    public TimeSpan? TotalTimeout { get; set; }

    /// <summary>
    /// Gets or sets how many times a failed attempt is retried (after the first attempt). Only transient failures are
    /// retried: transport errors, timeouts, 408, 429 and 5xx.
    /// </summary>
    /// <value>The default is 3.</value>
    [Range(0, HuggingFaceProviderDefaults.MaxRetriesLimit)]
    public int MaxRetries { get; set; } = HuggingFaceProviderDefaults.MaxRetries;

    /// <summary>Gets or sets the median delay before the first retry; later retries back off exponentially, with
    /// jitter.</summary>
    /// <value>The default is 1 second.</value>
    [Range(typeof(TimeSpan), HuggingFaceProviderDefaults.ZeroDuration, HuggingFaceProviderDefaults.MaxDuration)]
    public TimeSpan RetryDelay { get; set; } = HuggingFaceProviderDefaults.RetryDelay;

    /// <summary>
    /// Gets or sets the longest delay before a retry, including delays the service asks for with
    /// <c>Retry-After</c> or rate-limit headers (a longer request is shortened to this).
    /// </summary>
    /// <value>The default is 30 seconds.</value>
    [Range(typeof(TimeSpan), HuggingFaceProviderDefaults.ZeroDuration, HuggingFaceProviderDefaults.MaxDuration)]
    public TimeSpan MaxRetryDelay { get; set; } = HuggingFaceProviderDefaults.MaxRetryDelay;

    /// <summary>
    /// Gets or sets the dimension every vector must have, or <see langword="null"/> to learn it from the first valid
    /// response and enforce it from then on. A response of another dimension is a
    /// <see cref="RemoteFailureKind.MalformedResponse"/>.
    /// </summary>
    [Range(1, 1 << 20)]
    public int? ExpectedDimensions { get; set; }

    /// <summary>
    /// Gets or sets a value indicating whether vectors are L2-normalized (on this side, whatever the service does),
    /// so remote and local vectors live in the same space. <see cref="EmbeddingRequestOptions.Normalize"/> overrides it
    /// per call.
    /// </summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool Normalize { get; set; } = true;

    /// <summary>
    /// Gets or sets the price of one successfully embedded input, in whatever currency you account in. Usage records
    /// carry a cost only when a price is configured; nothing is estimated.
    /// </summary>
    [Range(typeof(decimal), "0", "1000000")]
    public decimal? PricePerInput { get; set; }

    /// <summary>
    /// Gets or sets the price of 1,000 input tokens, applied when the service reports token usage (OpenAI-style
    /// <c>usage.prompt_tokens</c>). Mutually exclusive with <see cref="PricePerInput"/>.
    /// </summary>
    [Range(typeof(decimal), "0", "1000000")]
    public decimal? PricePer1KTokens { get; set; }

    /// <summary>Gets or sets the circuit breaker settings.</summary>
    [Required]
    [ValidateObjectMembers]
    public RemoteCircuitBreakerOptions CircuitBreaker { get; set; } = new();

    /// <summary>
    /// Gets or sets a value indicating whether <see cref="ApiKey"/> may be sent over plain <c>http://</c> to a host
    /// that is not the loopback interface. Off by default: such a configuration is refused when the provider is
    /// created, because the key would cross the network in clear text.
    /// </summary>
    /// <value>The default is <see langword="false"/>.</value>
    public bool AllowApiKeyOverHttp { get; set; }

    /// <summary>Gets or sets the largest encoded image read from a file or stream and sent (larger ones fail with
    /// <see cref="EmbeddingInputError.TooLarge"/>).</summary>
    /// <value>The default is 20 MiB.</value>
    [Range(1L, long.MaxValue)]
    public long MaxImageBytes { get; set; } = HuggingFaceProviderDefaults.MaxImageBytes;

    /// <summary>Gets or sets the largest response body accepted (a larger one is a malformed response).</summary>
    /// <value>The default is 256 MiB.</value>
    [Range(1024L, long.MaxValue)]
    public long MaxResponseBytes { get; set; } = HuggingFaceProviderDefaults.MaxResponseBytes;

    internal HuggingFaceProviderOptions Clone()
    {
        var clone = (HuggingFaceProviderOptions)MemberwiseClone();
        clone.CircuitBreaker = CircuitBreaker?.Clone()!;
        return clone;
    }
}
