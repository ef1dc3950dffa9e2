using System.Diagnostics;
using System.Net;
using System.Numerics.Tensors;
using Embeddings.Diagnostics;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace Embeddings.Remote;

/// <summary>
/// Embeds texts and images through a remote service: the Hugging Face router, a dedicated Inference Endpoint, a TEI
/// server, an OpenAI-style service, or this project's own server (see <see cref="RemoteProtocol"/>).
/// </summary>
/// <remarks>
/// <para>Inputs are sent in requests of at most <see cref="HuggingFaceProviderOptions.BatchSize"/>, at most
/// <see cref="HuggingFaceProviderOptions.MaxConcurrentRequests"/> at a time across all callers, and reassembled in
/// input order. Each attempt has a timeout; transient failures (transport errors, timeouts, 408, 429, 5xx) are retried
/// with exponential backoff and jitter, honouring <c>Retry-After</c> and rate-limit headers; other 4xx answers are not
/// retried. A circuit breaker stops calling a failing service (<see cref="CircuitState"/>) so callers such as a
/// fallback provider can go elsewhere at once.</para>
/// <para>Every response is checked: its shape, the number of vectors, their dimension (configured, or learned from the
/// first valid response) and that every value is finite. A bad response fails its batch with
/// <see cref="RemoteFailureKind.MalformedResponse"/>; it never becomes a vector. A failed batch fails each of its
/// inputs with the same <see cref="RemoteEmbeddingException"/>; other batches are unaffected.</para>
/// <para>Each request batch produces an <see cref="EmbeddingUsageRecord"/> (to the observer given at construction),
/// metrics on the <c>Embeddings</c> meter and a span on the <c>Embeddings</c> activity source. The API key never
/// appears in logs, exception messages or telemetry.</para>
/// <para>Thread-safe. A provider built from an <see cref="HttpClient"/> does not own it; one built by
/// <see cref="Create"/> owns and disposes its client.</para>
/// </remarks>
public sealed partial class HuggingFaceProvider : IEmbeddingProvider
{
    private readonly HttpClient _httpClient;
    private readonly bool _ownsHttpClient;
    private readonly HuggingFaceProviderOptions _options;
    private readonly string _modelId;
    private readonly RemoteEndpoints _endpoints;
    private readonly EmbeddingModalities _modalities;
    private readonly ILogger _logger;
    private readonly TimeProvider _timeProvider;
    private readonly IEmbeddingUsageObserver? _usageObserver;
    private readonly SemaphoreSlim _requestSlots;
    private readonly string? _authorization;
    private readonly ResiliencePipeline<AttemptResult> _pipeline;
    private readonly CircuitBreakerStateProvider? _circuit;
    private readonly TagList _baseTags;
    private EmbeddingProviderMetadata _metadata;
    private long _circuitBlockedUntilUtcTicks;
    private int _learnedDimensions;
    private int _tokenLevelWarned;
    private volatile bool _disposed;

    /// <summary>Creates a provider over an <see cref="HttpClient"/> it does not own (for example one from
    /// <c>IHttpClientFactory</c>).</summary>
    /// <param name="httpClient">The client. Its <see cref="HttpClient.Timeout"/> should be longer than
    /// <see cref="HuggingFaceProviderOptions.Timeout"/> (or infinite): the provider times attempts itself.</param>
    /// <param name="options">The options; copied, so later changes have no effect.</param>
    /// <param name="logger">A logger, or <see langword="null"/> for none.</param>
    /// <param name="timeProvider">The clock for timeouts, delays and the circuit breaker; the system clock by default.</param>
    /// <param name="usageObserver">Receives a usage record per request batch, or <see langword="null"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="httpClient"/> or <paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException">The options are invalid (the message lists every problem).</exception>
    public HuggingFaceProvider(
        HttpClient httpClient,
        HuggingFaceProviderOptions options,
        ILogger? logger = null,
        TimeProvider? timeProvider = null,
        IEmbeddingUsageObserver? usageObserver = null)
        : this(httpClient, ownsHttpClient: false, options, logger, timeProvider, usageObserver)
    {
    }

    private HuggingFaceProvider(
        HttpClient httpClient,
        bool ownsHttpClient,
        HuggingFaceProviderOptions options,
        ILogger? logger,
        TimeProvider? timeProvider,
        IEmbeddingUsageObserver? usageObserver)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        ArgumentNullException.ThrowIfNull(options);
        Validate(options);

        _httpClient = httpClient;
        _ownsHttpClient = ownsHttpClient;
        _options = options.Clone();
        _modelId = _options.ModelId!;
        _logger = logger ?? NullLogger.Instance;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _usageObserver = usageObserver;
        _endpoints = RemoteEndpoints.Resolve(_options.BaseUrl, _modelId, _options.Protocol);
        _modalities = _options.Modalities ?? RemoteEndpoints.DefaultModalities(_options.Protocol);
        _requestSlots = new SemaphoreSlim(_options.MaxConcurrentRequests, _options.MaxConcurrentRequests);
        _authorization = string.IsNullOrEmpty(_options.ApiKey) ? null : "Bearer " + _options.ApiKey;
        _metadata = CreateMetadata(_options.ExpectedDimensions ?? 0);
        _baseTags = new TagList
        {
            { RemoteTelemetry.ProviderTag, HuggingFaceProviderDefaults.ProviderName },
            { RemoteTelemetry.ModelTag, _modelId },
        };

        (_pipeline, _circuit) = BuildPipeline();

        if (_endpoints.LegacyHostMapped)
        {
            _logger.LegacyHostMapped(HuggingFaceProviderDefaults.LegacyInferenceHost, _endpoints.DisplayName);
        }
    }

    /// <inheritdoc />
    /// <remarks><see cref="EmbeddingProviderMetadata.Dimensions"/> is 0 until the dimension is known: configured through
    /// <see cref="HuggingFaceProviderOptions.ExpectedDimensions"/>, or learned from the first valid response.</remarks>
    public EmbeddingProviderMetadata Metadata => Volatile.Read(ref _metadata);

    /// <summary>
    /// Gets the circuit breaker's state, without making a call. <see cref="RemoteCircuitState.Open"/> means calls fail
    /// at once; <see cref="RemoteCircuitState.HalfOpen"/> means the break has elapsed and the next call probes the
    /// service. Always <see cref="RemoteCircuitState.Closed"/> when the breaker is disabled.
    /// </summary>
    public RemoteCircuitState CircuitState
    {
        get
        {
            if (_circuit is null)
            {
                return RemoteCircuitState.Closed;
            }

            return _circuit.CircuitState switch
            {
                Polly.CircuitBreaker.CircuitState.Closed => RemoteCircuitState.Closed,
                Polly.CircuitBreaker.CircuitState.HalfOpen => RemoteCircuitState.HalfOpen,

                // Polly moves Open to HalfOpen only when a call arrives; report the elapsed break as HalfOpen so a
                // caller that only reads the state still sends the probe.
                Polly.CircuitBreaker.CircuitState.Open when _timeProvider.GetUtcNow().UtcTicks >= Volatile.Read(ref _circuitBlockedUntilUtcTicks)
                    => RemoteCircuitState.HalfOpen,
                _ => RemoteCircuitState.Open,
            };
        }
    }

    /// <summary>
    /// Creates a provider that owns its own <see cref="HttpClient"/> (pooled connections recycled every 5 minutes), for
    /// applications without dependency injection. Disposing the provider disposes the client.
    /// </summary>
    /// <param name="options">The options.</param>
    /// <param name="loggerFactory">A logger factory, or <see langword="null"/> for no logging.</param>
    /// <param name="usageObserver">Receives a usage record per request batch, or <see langword="null"/>.</param>
    /// <returns>The provider.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public static HuggingFaceProvider Create(HuggingFaceProviderOptions options, ILoggerFactory? loggerFactory = null, IEmbeddingUsageObserver? usageObserver = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var handler = new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            AutomaticDecompression = DecompressionMethods.All,
        };

        // The provider times each attempt itself; the client must not cut it short.
        var client = new HttpClient(handler) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
        try
        {
            return new HuggingFaceProvider(client, ownsHttpClient: true, options, loggerFactory?.CreateLogger<HuggingFaceProvider>(), null, usageObserver);
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<EmbeddingResult>> EmbedAsync(
        IReadOnlyList<EmbeddingInput> inputs,
        EmbeddingRequestOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        EmbeddingInputGuard.ThrowIfNullOrHasNull(inputs);
        ObjectDisposedException.ThrowIf(_disposed, this);

        RequestSettings settings = ResolveSettings(options);
        cancellationToken.ThrowIfCancellationRequested();

        var results = new EmbeddingResult[inputs.Count];
        List<RemoteBatch> batches = PlanBatches(inputs, results);

        using Activity? activity = RemoteTelemetry.ActivitySource.StartActivity($"{RemoteTelemetry.OperationName} {_modelId}", ActivityKind.Client);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag(RemoteTelemetry.OperationTag, RemoteTelemetry.OperationName);
            activity.SetTag(RemoteTelemetry.ProviderTag, HuggingFaceProviderDefaults.ProviderName);
            activity.SetTag(RemoteTelemetry.ModelTag, _modelId);
            activity.SetTag(RemoteTelemetry.ProtocolTag, _options.Protocol.ToString());
            activity.SetTag(RemoteTelemetry.ServerAddressTag, _endpoints.TextUri.Host);
            activity.SetTag(RemoteTelemetry.ServerPortTag, _endpoints.TextUri.Port);
            activity.SetTag(RemoteTelemetry.InputCountTag, inputs.Count);
            activity.SetTag(RemoteTelemetry.BatchCountTag, batches.Count);
        }

        if (batches.Count == 1)
        {
            await RunBatchAsync(batches[0], inputs, results, settings, cancellationToken).ConfigureAwait(false);
        }
        else if (batches.Count > 1)
        {
            // Bounded per call too, so a huge call does not hold every batch's payload in memory at once.
            var parallel = new ParallelOptions { MaxDegreeOfParallelism = _options.MaxConcurrentRequests, CancellationToken = cancellationToken };
            await Parallel.ForEachAsync(batches, parallel, (batch, token) =>
                new ValueTask(RunBatchAsync(batch, inputs, results, settings, token))).ConfigureAwait(false);
        }

        if (activity is { IsAllDataRequested: true })
        {
            int failed = 0;
            EmbeddingException? firstError = null;
            foreach (EmbeddingResult r in results)
            {
                if (!r.Succeeded)
                {
                    failed++;
                    firstError ??= r.Error;
                }
            }

            activity.SetTag(RemoteTelemetry.FailedCountTag, failed);
            if (firstError is not null)
            {
                activity.SetTag(RemoteTelemetry.ErrorTypeTag, ErrorType(firstError));
                activity.SetStatus(failed == results.Length ? ActivityStatusCode.Error : ActivityStatusCode.Unset);
            }
        }

        return results;
    }

    /// <inheritdoc />
    /// <remarks>Answers <see cref="HuggingFaceProvider"/> (itself), <see cref="EmbeddingProviderMetadata"/>, and
    /// <see cref="RemoteCircuitState"/> (the current <see cref="CircuitState"/>, boxed), so a composite that only knows
    /// <see cref="IEmbeddingProvider"/> can ask whether the circuit is open without making a call.</remarks>
    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType == typeof(RemoteCircuitState)
            ? CircuitState
            : EmbeddingProviderServices.GetOwnService(this, serviceType, serviceKey);

    /// <summary>Releases the owned <see cref="HttpClient"/>, if any. The provider must not be in use.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (_ownsHttpClient)
        {
            _httpClient.Dispose();
        }
    }

    private static void Validate(HuggingFaceProviderOptions options)
    {
        var failures = new List<string>();
        foreach (IValidateOptions<HuggingFaceProviderOptions> validator in (IValidateOptions<HuggingFaceProviderOptions>[])
            [new HuggingFaceProviderOptionsValidator(), new HuggingFaceProviderOptionsCustomValidator()])
        {
            ValidateOptionsResult result = validator.Validate(null, options);
            if (result.Failed)
            {
                failures.AddRange(result.Failures);
            }
        }

        if (failures.Count > 0)
        {
            throw new ArgumentException($"Invalid {nameof(HuggingFaceProviderOptions)}: {string.Join(" ", failures)}", nameof(options));
        }
    }

    private static string ErrorType(EmbeddingException error) => error switch
    {
        RemoteEmbeddingException remote => remote.Kind.ToString(),
        EmbeddingInputException input => input.Reason.ToString(),
        _ => error.GetType().Name,
    };

    private EmbeddingProviderMetadata CreateMetadata(int dimensions) =>
        new(HuggingFaceProviderDefaults.ProviderName, _modelId, dimensions, _modalities, providerUri: new Uri(_endpoints.DisplayName));

    private RequestSettings ResolveSettings(EmbeddingRequestOptions? options)
    {
        int? dimensions = options?.Dimensions;
        int known = KnownDimensions;
        if (dimensions is { } d && known > 0 && d > known)
        {
            throw new ArgumentException($"The model produces {known}-dimensional vectors; {d} dimensions cannot be returned.", nameof(options));
        }

        string? promptName = options?.PromptName;
        if (promptName is not null && _options.Protocol == RemoteProtocol.OpenAI)
        {
            throw new ArgumentException("The OpenAI protocol has no prompt names; prepend the prompt to the texts instead.", nameof(options));
        }

        return new RequestSettings(options?.Normalize ?? _options.Normalize, dimensions, promptName);
    }

    private int KnownDimensions => _options.ExpectedDimensions ?? Volatile.Read(ref _learnedDimensions);

    private List<RemoteBatch> PlanBatches(IReadOnlyList<EmbeddingInput> inputs, EmbeddingResult[] results)
    {
        List<int>? texts = null;
        List<int>? images = null;
        for (int i = 0; i < inputs.Count; i++)
        {
            EmbeddingModalities modality = inputs[i].Modality;
            if ((_modalities & modality) == 0)
            {
                results[i] = EmbeddingResult.Failure(
                    new EmbeddingInputException(
                        EmbeddingInputError.UnsupportedModality,
                        inputs[i].ToString(),
                        $"cannot be embedded: the remote model ({_options.Protocol} protocol) is configured for {_modalities} input only."),
                    HuggingFaceProviderDefaults.ProviderName);
                continue;
            }

            (modality == EmbeddingModalities.Text ? texts ??= [] : images ??= []).Add(i);
        }

        var batches = new List<RemoteBatch>();
        AddBatches(batches, EmbeddingModalities.Text, texts);
        AddBatches(batches, EmbeddingModalities.Image, images);
        return batches;
    }

    private void AddBatches(List<RemoteBatch> batches, EmbeddingModalities modality, List<int>? indices)
    {
        if (indices is null)
        {
            return;
        }

        foreach (int[] chunk in indices.Chunk(_options.BatchSize))
        {
            batches.Add(new RemoteBatch(modality, chunk));
        }
    }

    private async Task RunBatchAsync(
        RemoteBatch batch, IReadOnlyList<EmbeddingInput> inputs, EmbeddingResult[] results, RequestSettings settings, CancellationToken cancellationToken)
    {
        DateTimeOffset startedAt = _timeProvider.GetUtcNow();
        long started = _timeProvider.GetTimestamp();

        (int[] sent, AttemptState? state) = await PrepareAsync(batch, inputs, results, settings, cancellationToken).ConfigureAwait(false);
        if (state is null)
        {
            return;
        }

        AttemptResult outcome;
        try
        {
            outcome = await _pipeline.ExecuteAsync(
                static (s, token) => s.Provider.AttemptAsync(s.State, token),
                (Provider: this, State: state),
                cancellationToken).ConfigureAwait(false);
        }
        catch (BrokenCircuitException ex)
        {
            TimeSpan remaining = TimeSpan.FromTicks(Math.Max(0, Volatile.Read(ref _circuitBlockedUntilUtcTicks) - _timeProvider.GetUtcNow().UtcTicks));
            outcome = AttemptResult.Failure(
                RemoteFailureKind.CircuitOpen,
                $"it is not being called because it failed repeatedly (circuit open; next probe in {remaining.TotalSeconds:0.#} s)",
                exception: ex);
        }
        catch (TimeoutRejectedException ex) when (!cancellationToken.IsCancellationRequested)
        {
            outcome = AttemptResult.Failure(RemoteFailureKind.Timeout, $"it did not complete within the total timeout of {ex.Timeout.TotalSeconds:0.###} s", exception: ex);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Record(batch.Modality, sent.Length, 0, state.Attempts, startedAt, started, EmbeddingCallOutcome.Cancelled, null);
            throw;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Anything unforeseen (a handler in the client's pipeline that throws, for example) fails this batch only.
            outcome = AttemptResult.Failure(RemoteFailureKind.Transport, $"the request failed unexpectedly ({ex.GetType().Name})", exception: ex);
        }

        if (outcome.Succeeded)
        {
            Complete(sent, results, outcome, settings);
            if (outcome.WasTokenLevel && Interlocked.Exchange(ref _tokenLevelWarned, 1) == 0)
            {
                _logger.TokenLevelPooled(_endpoints.DisplayName, _modelId);
            }

            Record(batch.Modality, sent.Length, sent.Length, state.Attempts, startedAt, started, EmbeddingCallOutcome.Succeeded, outcome);
            return;
        }

        var error = new RemoteEmbeddingException(
            outcome.FailureKind!.Value,
            DescribeFailure(outcome, state.Attempts),
            outcome.StatusCode,
            state.Attempts,
            outcome.Exception);
        foreach (int i in sent)
        {
            results[i] = EmbeddingResult.Failure(error, HuggingFaceProviderDefaults.ProviderName);
        }

        Record(batch.Modality, sent.Length, 0, state.Attempts, startedAt, started, EmbeddingCallOutcome.Failed, outcome);
    }

    private async Task<(int[] Sent, AttemptState? State)> PrepareAsync(
        RemoteBatch batch, IReadOnlyList<EmbeddingInput> inputs, EmbeddingResult[] results, RequestSettings settings, CancellationToken cancellationToken)
    {
        if (batch.Modality == EmbeddingModalities.Text)
        {
            string[] texts = new string[batch.Indices.Length];
            for (int j = 0; j < texts.Length; j++)
            {
                texts[j] = inputs[batch.Indices[j]].Text!;
            }

            byte[] body = RemoteRequestWriter.WriteText(_options.Protocol, _modelId, texts, settings);
            return (batch.Indices, new AttemptState(_endpoints.TextUri, body, texts.Length, settings, texts));
        }

        var sent = new List<int>(batch.Indices.Length);
        var images = new List<ReadOnlyMemory<byte>>(batch.Indices.Length);
        foreach (int i in batch.Indices)
        {
            (ReadOnlyMemory<byte> bytes, EmbeddingInputException? error) =
                await RemoteImageLoader.LoadAsync(inputs[i], _options.MaxImageBytes, cancellationToken).ConfigureAwait(false);
            if (error is not null)
            {
                results[i] = EmbeddingResult.Failure(error, HuggingFaceProviderDefaults.ProviderName);
                continue;
            }

            sent.Add(i);
            images.Add(bytes);
        }

        if (sent.Count == 0)
        {
            return ([], null);
        }

        byte[] imageBody = RemoteRequestWriter.WriteImages(_options.Protocol, _modelId, images, settings);
        return ([.. sent], new AttemptState(_endpoints.ImageUri!, imageBody, sent.Count, settings, null));
    }

    private void Complete(int[] sent, EmbeddingResult[] results, AttemptResult outcome, RequestSettings settings)
    {
        float[][] vectors = outcome.Vectors!;
        DateTimeOffset createdAt = _timeProvider.GetUtcNow();
        for (int j = 0; j < sent.Length; j++)
        {
            float[] vector = vectors[j];
            if (settings.Dimensions is { } d && vector.Length > d)
            {
                vector = vector[..d];
            }

            if (settings.Normalize)
            {
                float norm = TensorPrimitives.Norm(vector);
                if (norm > 0)
                {
                    TensorPrimitives.Divide(vector, norm, vector);
                }
            }

            var embedding = new Embedding<float>(vector) { ModelId = _modelId, CreatedAt = createdAt };
            results[sent[j]] = EmbeddingResult.Success(embedding, HuggingFaceProviderDefaults.ProviderName);
        }
    }

    private string DescribeFailure(AttemptResult outcome, int attempts)
    {
        string after = attempts == 1 ? "after 1 attempt" : $"after {attempts} attempts";
        string where = $"The embedding service at {_endpoints.DisplayName}";
        return outcome.FailureKind switch
        {
            RemoteFailureKind.CircuitOpen => $"{where} was not called: {outcome.Detail}.",
            RemoteFailureKind.Unauthorized => $"{where} refused the credentials (HTTP {outcome.StatusCode}) {after}; check the API key and its permissions{Suffix(outcome.Detail)}.",
            RemoteFailureKind.RateLimited => $"{where} is rate limiting requests (HTTP 429) {after}{Suffix(outcome.Detail)}.",
            RemoteFailureKind.HttpStatus => $"{where} answered HTTP {outcome.StatusCode} {after}{Suffix(outcome.Detail)}.",
            RemoteFailureKind.Timeout => $"{where} timed out {after}: {outcome.Detail}.",
            RemoteFailureKind.Transport => $"{where} could not be reached {after}: {outcome.Detail}.",
            RemoteFailureKind.MalformedResponse => $"{where} returned an invalid response {after}: {outcome.Detail}.",
            _ => $"{where} failed {after}: {outcome.Detail}.",
        };

        static string Suffix(string? detail) => string.IsNullOrEmpty(detail) ? string.Empty : $": {detail}";
    }

    private void Record(
        EmbeddingModalities modality, int inputs, int succeeded, int attempts, DateTimeOffset startedAt, long started,
        EmbeddingCallOutcome callOutcome, AttemptResult? outcome)
    {
        TimeSpan latency = _timeProvider.GetElapsedTime(started);
        decimal? cost = Cost(succeeded, outcome?.PromptTokens);
        string modalityName = modality == EmbeddingModalities.Text ? "text" : "image";
        string outcomeName = callOutcome switch
        {
            EmbeddingCallOutcome.Succeeded => "success",
            EmbeddingCallOutcome.Cancelled => "cancelled",
            _ => "failure",
        };

        TagList tags = _baseTags;
        tags.Add(RemoteTelemetry.ModalityTag, modalityName);
        tags.Add(RemoteTelemetry.OutcomeTag, outcomeName);
        if (outcome?.FailureKind is { } kind)
        {
            tags.Add(RemoteTelemetry.ErrorTypeTag, kind.ToString());
        }

        RemoteTelemetry.RequestDuration.Record(latency.TotalSeconds, tags);
        RemoteTelemetry.Items.Add(inputs, tags);
        if (cost is { } c && c > 0)
        {
            RemoteTelemetry.Cost.Add((double)c, tags);
        }

        long latencyMs = (long)latency.TotalMilliseconds;
        if (callOutcome == EmbeddingCallOutcome.Failed)
        {
            _logger.BatchFailed(_endpoints.DisplayName, inputs, outcome!.FailureKind!.Value, outcome.StatusCode, latencyMs, attempts, outcome.Detail ?? string.Empty);
        }
        else
        {
            _logger.BatchCompleted(_endpoints.DisplayName, inputs, outcome?.StatusCode, latencyMs, attempts);
        }

        if (_usageObserver is null)
        {
            return;
        }

        var record = new EmbeddingUsageRecord
        {
            Timestamp = startedAt,
            ProviderName = HuggingFaceProviderDefaults.ProviderName,
            ModelId = _modelId,
            Modality = modality,
            TaskName = TaskNameFor(modality),
            Endpoint = _endpoints.DisplayName,
            Inputs = inputs,
            Succeeded = succeeded,
            Latency = latency,
            Attempts = attempts,
            Outcome = callOutcome,
            FailureKind = outcome?.FailureKind,
            StatusCode = outcome?.StatusCode,
            InputTokens = outcome?.PromptTokens,
            Cost = cost,
        };

        try
        {
            _usageObserver.OnUsage(record);
        }
        catch (Exception ex)
        {
            _logger.UsageObserverFailed(ex);
        }
    }

    private decimal? Cost(int succeeded, int? promptTokens)
    {
        if (_options.PricePerInput is { } perInput)
        {
            return perInput * succeeded;
        }

        if (_options.PricePer1KTokens is { } perThousand)
        {
            if (succeeded == 0)
            {
                return 0m;
            }

            return promptTokens is { } tokens ? perThousand * tokens / 1000m : null;
        }

        return null;
    }

    private string TaskNameFor(EmbeddingModalities modality) => (_options.Protocol, modality) switch
    {
        (RemoteProtocol.HuggingFaceInference, _) => "feature-extraction",
        (RemoteProtocol.TextEmbeddingsInference, _) => "embed",
        (RemoteProtocol.OpenAI, _) => "embeddings",
        (RemoteProtocol.EmbeddingsServer, EmbeddingModalities.Text) => "predict",
        (_, EmbeddingModalities.Image) => "image-embedding",
        _ => "text-embedding",
    };
}
