namespace Embeddings.AspNetCore;

/// <summary>
/// Settings of the endpoints <c>MapEmbeddings()</c> maps. Every property can be bound from configuration
/// (<c>services.Configure&lt;EmbeddingsEndpointOptions&gt;(configuration.GetSection("Embeddings:Server"))</c>); the
/// callback given to <c>MapEmbeddings</c> runs after that binding.
/// </summary>
public sealed class EmbeddingsEndpointOptions
{
    /// <summary>The environment variable the token is read from when <see cref="AuthToken"/> is not set:
    /// <c>auth_token</c>, lower case, as the Python server read it.</summary>
    public const string AuthTokenEnvironmentVariable = "auth_token";

    /// <summary>The default for <see cref="MaxRequestBodyBytes"/>: 16 MiB.</summary>
    public const long DefaultMaxRequestBodyBytes = 16L * 1024 * 1024;

    /// <summary>The default for <see cref="MaxInputsPerRequest"/>.</summary>
    public const int DefaultMaxInputsPerRequest = 128;

    /// <summary>The default for <see cref="MaxTextLength"/>, in UTF-16 code units.</summary>
    public const int DefaultMaxTextLength = 32 * 1024;

    /// <summary>The default for <see cref="MaxBatchSize"/>.</summary>
    public const int DefaultMaxBatchSize = 64;

    /// <summary>The default for <see cref="MaxQueuedInputs"/>.</summary>
    public const int DefaultMaxQueuedInputs = 1024;

    /// <summary>The default for <see cref="MaxConcurrentBatches"/>.</summary>
    public const int DefaultMaxConcurrentBatches = 1;

    /// <summary>The default for <see cref="PredictPromptName"/>: <c>query</c>, the prompt sentence-transformers'
    /// <c>encode_query</c> applies.</summary>
    public const string DefaultPredictPromptName = "query";

    /// <summary>
    /// Gets or sets the bearer token every embedding request must carry (<c>Authorization: Bearer &lt;token&gt;</c>),
    /// or <see langword="null"/> to read it from the <see cref="AuthTokenEnvironmentVariable"/> environment variable.
    /// It is compared in constant time and never logged.
    /// </summary>
    /// <remarks>With no token from either source, <c>MapEmbeddings</c> refuses to start unless
    /// <see cref="AllowAnonymous"/> is set: a server that forgot its token must not end up open, nor (as the Python
    /// server did) answer every request with 401 while looking healthy. The health routes never need the token.</remarks>
    public string? AuthToken { get; set; }

    /// <summary>
    /// Gets or sets a value indicating whether the endpoints may be served without a token when none is configured
    /// (for example behind a gateway that authenticates, or with ASP.NET Core authorization added through
    /// <c>RequireAuthorization()</c> on the builder <c>MapEmbeddings</c> returns). A configured token is always
    /// required, whatever this says.
    /// </summary>
    /// <value>The default is <see langword="false"/>.</value>
    public bool AllowAnonymous { get; set; }

    /// <summary>Gets or sets the largest request body accepted, in bytes; a larger one is answered 413.</summary>
    /// <value>The default is <see cref="DefaultMaxRequestBodyBytes"/>.</value>
    public long MaxRequestBodyBytes { get; set; } = DefaultMaxRequestBodyBytes;

    /// <summary>Gets or sets the most inputs (texts or images) one request may carry; more are answered 413.</summary>
    /// <value>The default is <see cref="DefaultMaxInputsPerRequest"/>.</value>
    public int MaxInputsPerRequest { get; set; } = DefaultMaxInputsPerRequest;

    /// <summary>Gets or sets the longest text accepted, in UTF-16 code units (.NET <see cref="string.Length"/>); a
    /// request with a longer text is answered 413. Texts within the limit but beyond the model's context are
    /// truncated by the model.</summary>
    /// <value>The default is <see cref="DefaultMaxTextLength"/>.</value>
    public int MaxTextLength { get; set; } = DefaultMaxTextLength;

    /// <summary>
    /// Gets or sets the most inputs one provider call carries when concurrent requests are merged (dynamic batching).
    /// A single request with more inputs than this is still sent as one call.
    /// </summary>
    /// <value>The default is <see cref="DefaultMaxBatchSize"/>.</value>
    public int MaxBatchSize { get; set; } = DefaultMaxBatchSize;

    /// <summary>
    /// Gets or sets the longest a request waits for others to join its batch. The wait ends early when the batch is
    /// full or when no other request is being received, so a lone request is not delayed.
    /// <see cref="TimeSpan.Zero"/> merges only requests that are already queued.
    /// </summary>
    /// <value>The default is 5 milliseconds.</value>
    public TimeSpan MaxBatchDelay { get; set; } = TimeSpan.FromMilliseconds(5);

    /// <summary>Gets or sets the most inputs waiting for a provider call; a request that does not fit is answered
    /// 429 with <c>Retry-After</c>.</summary>
    /// <value>The default is <see cref="DefaultMaxQueuedInputs"/>.</value>
    public int MaxQueuedInputs { get; set; } = DefaultMaxQueuedInputs;

    /// <summary>
    /// Gets or sets the most provider calls running at once, per provider. While they run, new requests queue and
    /// form the next batch. One suits a local model, which already uses every core for one call (measured: larger
    /// batches and higher throughput than two); raise it for providers that serve parallel calls well (a remote
    /// service, a GPU with capacity to spare).
    /// </summary>
    /// <value>The default is <see cref="DefaultMaxConcurrentBatches"/>.</value>
    public int MaxConcurrentBatches { get; set; } = DefaultMaxConcurrentBatches;

    /// <summary>
    /// Gets or sets the prompt <c>POST /predict</c> applies when the request names none and the model defines it
    /// (the Python server's <c>encode_query</c> always applied <c>query</c>), or <see langword="null"/> for none.
    /// </summary>
    /// <value>The default is <see cref="DefaultPredictPromptName"/>.</value>
    public string? PredictPromptName { get; set; } = DefaultPredictPromptName;

    /// <summary>Gets or sets the prompt <c>POST /embed</c> and <c>POST /v1/embeddings</c> apply when the request names
    /// none and the model defines it, or <see langword="null"/> for none (as TEI).</summary>
    public string? DefaultPromptName { get; set; }

    /// <summary>
    /// Gets or sets a value indicating whether each provider embeds one short text (or nothing, for image-only
    /// providers) when the application starts, before readiness reports 200, so the first request does not pay for
    /// loading the model.
    /// </summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool WarmUp { get; set; } = true;

    /// <summary>
    /// Gets or sets how long work still queued or running when the server has stopped may take to finish before it
    /// is cancelled. Kestrel first lets in-flight requests finish within the host's shutdown timeout; this bounds the
    /// batches of requests whose clients went away.
    /// </summary>
    /// <value>The default is 30 seconds.</value>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Creates a copy of these options.</summary>
    /// <returns>A new instance with the same values.</returns>
    public EmbeddingsEndpointOptions Clone() => (EmbeddingsEndpointOptions)MemberwiseClone();

    /// <summary>Lists what is wrong with these options.</summary>
    internal List<string> Validate()
    {
        var failures = new List<string>();
        if (MaxRequestBodyBytes < 1)
        {
            failures.Add($"{nameof(MaxRequestBodyBytes)} must be positive.");
        }

        Positive(MaxInputsPerRequest, nameof(MaxInputsPerRequest));
        Positive(MaxTextLength, nameof(MaxTextLength));
        Positive(MaxBatchSize, nameof(MaxBatchSize));
        Positive(MaxQueuedInputs, nameof(MaxQueuedInputs));
        Positive(MaxConcurrentBatches, nameof(MaxConcurrentBatches));
        if (MaxBatchDelay < TimeSpan.Zero || MaxBatchDelay > TimeSpan.FromSeconds(10))
        {
            failures.Add($"{nameof(MaxBatchDelay)} must be between 0 and 10 seconds.");
        }

        if (DrainTimeout < TimeSpan.Zero)
        {
            failures.Add($"{nameof(DrainTimeout)} must not be negative.");
        }

        if (MaxQueuedInputs < MaxInputsPerRequest)
        {
            failures.Add($"{nameof(MaxQueuedInputs)} must be at least {nameof(MaxInputsPerRequest)}, or a full request could never be queued.");
        }

        return failures;

        void Positive(int value, string name)
        {
            if (value < 1)
            {
                failures.Add($"{name} must be positive.");
            }
        }
    }
}
