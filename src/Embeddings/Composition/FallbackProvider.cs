using System.Diagnostics;
using System.Diagnostics.Metrics;
using Embeddings.Diagnostics;
using Embeddings.Remote;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Embeddings.Composition;

/// <summary>
/// An <see cref="IEmbeddingProvider"/> over an ordered list of providers of the same model, typically a remote service
/// and then a local model: each input is served by the first provider that embeds it, so an outage of the first costs
/// latency, never results.
/// </summary>
/// <remarks>
/// <para><b>Per batch and per input.</b> The first provider receives the whole batch. Inputs it embedded are kept;
/// only the inputs it failed (or all of them, if its call threw) go to the next provider, in one call, and so on.
/// Results come back in input order, one per input. An input that no provider embedded carries the error of the last
/// provider that tried it. If nothing succeeded and every input's last failure is one exception thrown by a provider's
/// call (an option that no provider supports, for example), that exception is rethrown.</para>
/// <para><b>Open circuits are skipped.</b> Before calling a provider that is not the last one, its circuit state is
/// read without making a call (<see cref="IEmbeddingProvider.GetService"/> for <see cref="RemoteCircuitState"/>, which
/// <see cref="HuggingFaceProvider"/> answers, also through a cache in front of it). While it is
/// <see cref="RemoteCircuitState.Open"/>, its inputs go straight to the next provider: no request, no timeout. Once
/// the provider's break has elapsed it reports <see cref="RemoteCircuitState.HalfOpen"/> and is called again, so its
/// own breaker decides when to probe and a healthy probe brings it back; calls that arrive while the probe runs are
/// refused by the breaker at once and fall back. The call that carries the probe waits for it like any call (at most
/// the primary's own timeout) before it falls back. A provider without a circuit state is always called.</para>
/// <para><b>Cancellation never falls back.</b> When the caller's token is cancelled, the
/// <see cref="OperationCanceledException"/> propagates and no further provider is called. An exception that is not
/// the caller's cancellation (a provider's internal timeout, a bug) counts as a failure of that provider's inputs.</para>
/// <para><b>One embedding space.</b> Providers whose model ids or known dimensions differ are refused when the fallback
/// provider is created, unless <see cref="FallbackProviderOptions.AssumeCompatible"/> is set. A provider that learns
/// its dimension from its first response (a remote service with <see cref="EmbeddingProviderMetadata.Dimensions"/> 0)
/// is checked vector by vector: a vector whose dimension differs from the chain's (the requested
/// <see cref="EmbeddingRequestOptions.Dimensions"/>, else the first declared or first seen dimension) fails its input
/// with an <see cref="EmbeddingModelException"/> (reason <c>DimensionMismatch</c>) and the input falls back; once such
/// a provider declares a different dimension it is no longer called.</para>
/// <para><b>Modalities are routed.</b> The chain embeds every modality any provider embeds
/// (<see cref="EmbeddingProviderMetadata.Modalities"/> is their union). An input goes only to providers that embed
/// its modality, in order: with a text-only remote service and a local text-and-image model, texts fall back from
/// remote to local and images go to the local model directly (routing is not a fallback: no reason, no fallback
/// metric).</para>
/// <para><b>What served each input.</b> <see cref="EmbeddingResult.ProviderName"/> names the provider that produced
/// the result. A vector that was served after a fallback carries, in its
/// <see cref="Microsoft.Extensions.AI.Embedding.AdditionalProperties"/>, <see cref="FallbackReasonProperty"/> (the
/// first failing provider's error kind: a <see cref="RemoteFailureKind"/> or <see cref="EmbeddingInputError"/> name,
/// <c>DimensionMismatch</c>, or an exception type name) and <see cref="FallbackFromProperty"/> (that provider's
/// name).</para>
/// <para><b>Streams.</b> An image stream can be offered to more than one provider: a seekable one is rewound to its
/// starting position for each; any other is read into memory once, before the first call (at most
/// <see cref="FallbackProviderOptions.MaxStreamBytes"/>).</para>
/// <para><b>Telemetry.</b> On the <c>Embeddings</c> meter: <c>embeddings.fallback.request.duration</c> (seconds, per
/// call), <c>embeddings.fallback.items</c> (per input, tagged with the provider that served it and the outcome),
/// <c>embeddings.fallback.fallbacks</c> (inputs passed on, tagged <c>embeddings.fallback.from</c>, <c>.to</c> and
/// <c>.reason</c>) and the gauge <c>embeddings.fallback.primary.circuit_state</c> (0 closed, 1 open, 2 half-open).
/// Each call is an <c>embeddings {model}</c> span on the <c>Embeddings</c> activity source (OpenTelemetry gen_ai
/// conventions, no content) with an <c>embeddings.fallback</c> event per fallback. Fallbacks are logged as warnings,
/// at most one per <see cref="FallbackProviderOptions.WarningInterval"/>; each call at debug level with its latency.
/// When a usage observer is given, every call that carries fallen-back inputs produces an
/// <see cref="EmbeddingUsageRecord"/> with <see cref="EmbeddingUsageRecord.FallbackReason"/> set.</para>
/// <para>Thread-safe. Disposing it disposes its providers unless <see cref="FallbackProviderOptions.LeaveOpen"/>.</para>
/// </remarks>
public sealed partial class FallbackProvider : IEmbeddingProvider
{
    /// <summary>The <see cref="EmbeddingProviderMetadata.ProviderName"/> of a fallback provider.</summary>
    public const string ProviderName = "fallback";

    /// <summary>The key, in <see cref="Microsoft.Extensions.AI.Embedding.AdditionalProperties"/>, of why a vector was
    /// served by a fallback provider (a string such as <c>CircuitOpen</c>, <c>HttpStatus</c>, <c>Timeout</c>).</summary>
    public const string FallbackReasonProperty = "embeddings.fallback.reason";

    /// <summary>The key, in <see cref="Microsoft.Extensions.AI.Embedding.AdditionalProperties"/>, of the name of the
    /// provider that failed first before a fallback provider served the vector.</summary>
    public const string FallbackFromProperty = "embeddings.fallback.from";

    private readonly IEmbeddingProvider[] _providers;
    private readonly FallbackProviderOptions _options;
    private readonly ILogger _logger;
    private readonly FallbackTelemetry _telemetry;
    private readonly IEmbeddingUsageObserver? _usageObserver;
    private readonly TimeProvider _timeProvider;
    private readonly FallbackWarningGate _warnings;
    private readonly bool _reReadStreams;
    private EmbeddingProviderMetadata _metadata;
    private int _dimensions;
    private long _primaryFallbacks;
    private int _disposed;

    /// <summary>Creates a fallback provider over providers of the same model, tried in order.</summary>
    /// <param name="providers">The providers, primary first; disposed with this one unless
    /// <see cref="FallbackProviderOptions.LeaveOpen"/>.</param>
    /// <param name="options">Settings, or <see langword="null"/> for the defaults.</param>
    /// <param name="loggerFactory">Where fallbacks are logged, or <see langword="null"/>.</param>
    /// <param name="meterFactory">Creates the <c>Embeddings</c> meter, or <see langword="null"/> for a shared one.</param>
    /// <param name="usageObserver">Receives a usage record for every call that serves fallen-back inputs, or
    /// <see langword="null"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="providers"/> or one of its items is null.</exception>
    /// <exception cref="ArgumentException">No provider is given; an option is invalid; or the providers declare
    /// different model ids or dimensions (see <see cref="FallbackProviderOptions.AssumeCompatible"/>).</exception>
    public FallbackProvider(
        IEnumerable<IEmbeddingProvider> providers,
        FallbackProviderOptions? options = null,
        ILoggerFactory? loggerFactory = null,
        IMeterFactory? meterFactory = null,
        IEmbeddingUsageObserver? usageObserver = null)
        : this(providers, options, loggerFactory, meterFactory, usageObserver, timeProvider: null)
    {
    }

    internal FallbackProvider(
        IEnumerable<IEmbeddingProvider> providers,
        FallbackProviderOptions? options,
        ILoggerFactory? loggerFactory,
        IMeterFactory? meterFactory,
        IEmbeddingUsageObserver? usageObserver,
        TimeProvider? timeProvider)
    {
        ArgumentNullException.ThrowIfNull(providers);
        IEmbeddingProvider[] list = [.. providers];
        if (list.Length == 0)
        {
            throw new ArgumentException("A fallback provider needs at least one provider.", nameof(providers));
        }

        for (int i = 0; i < list.Length; i++)
        {
            if (list[i] is null)
            {
                throw new ArgumentNullException(nameof(providers), $"Provider {i} is null.");
            }
        }

        FallbackProviderOptions snapshot = options?.Clone() ?? new FallbackProviderOptions();
        FallbackProviderOptionsValidator.ThrowIfInvalid(snapshot, nameof(options));

        _providers = list;
        _options = snapshot;
        _dimensions = FallbackCompatibility.Check(list, snapshot.AssumeCompatible, nameof(providers));
        _logger = loggerFactory?.CreateLogger<FallbackProvider>() ?? (ILogger)NullLogger.Instance;
        _usageObserver = usageObserver;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _warnings = new FallbackWarningGate(snapshot.WarningInterval, _timeProvider);
        _reReadStreams = list.Count(p => (p.Metadata.Modalities & EmbeddingModalities.Image) != 0) > 1;
        _metadata = CreateMetadata(_dimensions);
        _telemetry = FallbackTelemetry.For(meterFactory);
        _telemetry.Register(this);
    }

    /// <summary>
    /// Gets the chain's description: provider name <see cref="ProviderName"/>, the primary's model id and endpoint,
    /// the union of the providers' modalities and prompt names, the chain's dimension (0 until one is declared or
    /// seen), and the model revision when every provider declares the same one.
    /// </summary>
    public EmbeddingProviderMetadata Metadata => Volatile.Read(ref _metadata);

    /// <summary>Gets the providers, primary first.</summary>
    public IReadOnlyList<IEmbeddingProvider> Providers => _providers;

    /// <summary>Gets the primary's circuit state, when it reports one.</summary>
    internal RemoteCircuitState? PrimaryCircuitState => _providers[0].GetService(typeof(RemoteCircuitState)) as RemoteCircuitState?;

    /// <inheritdoc />
    public async Task<IReadOnlyList<EmbeddingResult>> EmbedAsync(
        IReadOnlyList<EmbeddingInput> inputs, EmbeddingRequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        EmbeddingInputGuard.ThrowIfNullOrHasNull(inputs);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);

        cancellationToken.ThrowIfCancellationRequested();
        if (inputs.Count == 0)
        {
            return [];
        }

        long started = _timeProvider.GetTimestamp();
        string modelId = Metadata.ModelId;
        using Activity? activity = FallbackTelemetry.ActivitySource.StartActivity($"{FallbackTelemetry.OperationName} {modelId}", ActivityKind.Internal);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag(FallbackTelemetry.OperationTag, FallbackTelemetry.OperationName);
            activity.SetTag(FallbackTelemetry.ProviderTag, ProviderName);
            activity.SetTag(FallbackTelemetry.ModelTag, modelId);
            activity.SetTag(FallbackTelemetry.PrimaryTag, _providers[0].Metadata.ProviderName);
            activity.SetTag(FallbackTelemetry.InputCountTag, inputs.Count);
        }

        EmbeddingResult[] results;
        FallbackCall? call = null;
        try
        {
            call = await FallbackCall.CreateAsync(inputs, _reReadStreams, _options.MaxStreamBytes, ProviderName, cancellationToken).ConfigureAwait(false);
            for (int p = 0; p < _providers.Length; p++)
            {
                await RunStepAsync(p, call, options, activity, cancellationToken).ConfigureAwait(false);
            }

            results = call.Finish(ProviderName, Metadata.Modalities);
        }
        catch (Exception ex)
        {
            bool cancelled = ex is OperationCanceledException && cancellationToken.IsCancellationRequested;
            RecordCall(modelId, inputs.Count, call?.FellBack ?? 0, null, cancelled ? "cancelled" : ex.GetType().Name, started, activity);
            throw;
        }

        RecordCall(modelId, inputs.Count, call.FellBack, results, null, started, activity);
        return results;
    }

    /// <inheritdoc />
    /// <remarks>Answers itself and <see cref="EmbeddingProviderMetadata"/> (the chain's); other services are asked of
    /// the providers in order. <see cref="RemoteCircuitState"/> is never answered: the chain has no circuit of its own,
    /// and an outer fallback provider must not skip it because its primary is open.</remarks>
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        if (EmbeddingProviderServices.GetOwnService(this, serviceType, serviceKey) is { } own)
        {
            return own;
        }

        if (serviceType == typeof(RemoteCircuitState))
        {
            return null;
        }

        foreach (IEmbeddingProvider provider in _providers)
        {
            if (provider.GetService(serviceType, serviceKey) is { } service)
            {
                return service;
            }
        }

        return null;
    }

    /// <summary>Disposes the providers, unless <see cref="FallbackProviderOptions.LeaveOpen"/>. Must not be called while
    /// a call is running.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _telemetry.Unregister(this);
        if (!_options.LeaveOpen)
        {
            foreach (IEmbeddingProvider provider in _providers)
            {
                provider.Dispose();
            }
        }
    }

    private EmbeddingProviderMetadata CreateMetadata(int dimensions)
    {
        EmbeddingProviderMetadata primary = _providers[0].Metadata;
        EmbeddingModalities modalities = EmbeddingModalities.None;
        var prompts = new List<string>();
        string? revision = primary.ModelRevision;
        foreach (IEmbeddingProvider provider in _providers)
        {
            EmbeddingProviderMetadata metadata = provider.Metadata;
            modalities |= metadata.Modalities;
            foreach (string prompt in metadata.PromptNames)
            {
                if (!prompts.Contains(prompt))
                {
                    prompts.Add(prompt);
                }
            }

            if (!string.Equals(metadata.ModelRevision, revision, StringComparison.Ordinal))
            {
                revision = null;
            }
        }

        return new EmbeddingProviderMetadata(ProviderName, primary.ModelId, dimensions, modalities, prompts, primary.ProviderUri, revision);
    }

    /// <summary>The chain's dimension; the first vector seen sets it when no provider declared one.</summary>
    private int LearnDimensions(int seen)
    {
        int known = Volatile.Read(ref _dimensions);
        if (known > 0)
        {
            return known;
        }

        if (Interlocked.CompareExchange(ref _dimensions, seen, 0) == 0)
        {
            Volatile.Write(ref _metadata, CreateMetadata(seen));
            return seen;
        }

        return Volatile.Read(ref _dimensions);
    }
}
