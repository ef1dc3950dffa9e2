using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Embeddings.Composition;

/// <summary>
/// An <see cref="IEmbeddingProvider"/> that remembers vectors: each input is looked up in a cache (in memory, or any
/// <see cref="IDistributedCache"/> such as Redis) before the inner provider is asked, and only the misses are
/// computed, in one call.
/// </summary>
/// <remarks>
/// <para>A key covers everything that changes a vector: the model id and
/// <see cref="EmbeddingProviderMetadata.ModelRevision"/> (when the revision is <see langword="null"/>, the model id
/// alone identifies the model, so replacing model files under the same id needs an expiry or a new
/// <see cref="EmbeddingCacheOptions.KeyPrefix"/>), the modality, the prompt name (texts only), the dimensions and
/// normalization (unset options count as the model's full dimension, normalized), and a SHA-256 of the content:
/// text as UTF-8, encoded image bytes however they are given (bytes, stream or file), or decoded pixels with their
/// width and height. A vector is never served for another model or option. Calls with options the model does not
/// declare (an unknown prompt, more dimensions than it has) skip the cache, so the inner provider refuses them as it
/// would without one.</para>
/// <para>Files and streams are read once: their bytes are hashed and handed to the inner provider as an in-memory
/// image. Inputs larger than <see cref="EmbeddingCacheOptions.MaxInputBytes"/> bypass the cache.</para>
/// <para>Concurrent misses for one key are computed once; the other callers wait for that result, and compute it
/// themselves if it fails or is cancelled. Failed inputs are never cached.</para>
/// <para>The cache never turns into an error: a failing, slow (<see cref="EmbeddingCacheOptions.OperationTimeout"/>)
/// or corrupt cache counts as a miss, is logged (at most one warning every 30 seconds) and counted on the
/// <c>embeddings.cache.errors</c> metric, and after repeated failures is left alone for
/// <see cref="EmbeddingCacheOptions.BreakDuration"/>.</para>
/// <para>Results served from the cache carry <see cref="HitProviderName"/> as their provider name. Disposing this
/// provider disposes the inner provider and a memory cache it created, never a cache it was given.</para>
/// </remarks>
public sealed partial class CachingEmbeddingProvider : IEmbeddingProvider
{
    /// <summary>The <see cref="EmbeddingResult.ProviderName"/> of results served from the cache.</summary>
    public const string HitProviderName = "cache";

    // Followers whose leader failed try again this many times before computing without single-flight.
    private const int SingleFlightRounds = 3;

    private const int MaxRememberedContexts = 256;

    private readonly IEmbeddingProvider _inner;
    private readonly IEmbeddingCacheStore _store;
    private readonly EmbeddingCacheOptions _options;
    private readonly ILogger _logger;
    private readonly EmbeddingCacheMetrics _metrics;
    private readonly EmbeddingCacheFailures _failures;
    private readonly IDisposable? _ownedCache;
    private readonly ConcurrentDictionary<string, TaskCompletionSource<EmbeddingResult?>> _inFlight = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<ContextKey, EmbeddingCacheContext> _contexts = new();
    private int _disposed;

    /// <summary>Caches an inner provider's vectors in a distributed cache (Redis, SQL Server, ...).</summary>
    /// <param name="innerProvider">The provider that computes vectors; disposed with this one.</param>
    /// <param name="cache">The cache; not disposed by this provider.</param>
    /// <param name="options">Settings, or <see langword="null"/> for the defaults.</param>
    /// <param name="loggerFactory">Where cache failures are logged, or <see langword="null"/>.</param>
    /// <param name="meterFactory">Creates the <c>Embeddings</c> meter, or <see langword="null"/> for a shared one.</param>
    /// <exception cref="ArgumentException">An option is invalid.</exception>
    public CachingEmbeddingProvider(
        IEmbeddingProvider innerProvider,
        IDistributedCache cache,
        EmbeddingCacheOptions? options = null,
        ILoggerFactory? loggerFactory = null,
        IMeterFactory? meterFactory = null)
        : this(innerProvider, ForDistributed(cache), options, loggerFactory, meterFactory, ownedCache: null)
    {
    }

    /// <summary>Caches an inner provider's vectors in a memory cache; each entry's size is its approximate number of
    /// bytes, so a cache with a <c>SizeLimit</c> must count in bytes.</summary>
    /// <param name="innerProvider">The provider that computes vectors; disposed with this one.</param>
    /// <param name="cache">The cache; not disposed by this provider.</param>
    /// <param name="options">Settings, or <see langword="null"/> for the defaults.</param>
    /// <param name="loggerFactory">Where cache failures are logged, or <see langword="null"/>.</param>
    /// <param name="meterFactory">Creates the <c>Embeddings</c> meter, or <see langword="null"/> for a shared one.</param>
    /// <exception cref="ArgumentException">An option is invalid.</exception>
    public CachingEmbeddingProvider(
        IEmbeddingProvider innerProvider,
        IMemoryCache cache,
        EmbeddingCacheOptions? options = null,
        ILoggerFactory? loggerFactory = null,
        IMeterFactory? meterFactory = null)
        : this(innerProvider, ForMemory(cache), options, loggerFactory, meterFactory, ownedCache: null)
    {
    }

    internal CachingEmbeddingProvider(
        IEmbeddingProvider innerProvider,
        Func<EmbeddingCacheOptions, IEmbeddingCacheStore> createStore,
        EmbeddingCacheOptions? options,
        ILoggerFactory? loggerFactory,
        IMeterFactory? meterFactory,
        IDisposable? ownedCache,
        TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(innerProvider);
        EmbeddingCacheOptions snapshot = options?.Clone() ?? new EmbeddingCacheOptions();
        EmbeddingCacheOptionsValidator.ThrowIfInvalid(snapshot, nameof(options));

        _inner = innerProvider;
        _options = snapshot;
        _store = createStore(snapshot);
        _logger = loggerFactory?.CreateLogger<CachingEmbeddingProvider>() ?? (ILogger)NullLogger.Instance;
        _metrics = new EmbeddingCacheMetrics(meterFactory, _store.Backend);
        _failures = new EmbeddingCacheFailures(_logger, _metrics, _store.Backend, snapshot.BreakDuration, timeProvider ?? TimeProvider.System);
        _ownedCache = ownedCache;
    }

    /// <summary>Gets the inner provider's description: a cache does not change what is produced.</summary>
    public EmbeddingProviderMetadata Metadata => _inner.Metadata;

    /// <summary>Gets the settings in use (a snapshot taken at construction).</summary>
    internal EmbeddingCacheOptions Options => _options;

    /// <summary>Gets the memory cache this provider created and owns, if any.</summary>
    internal IDisposable? OwnedCache => _ownedCache;

    /// <summary>Gets the backend's name, as in the <c>cache.backend</c> metric tag.</summary>
    internal string Backend => _store.Backend;

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

        EmbeddingProviderMetadata metadata = _inner.Metadata;
        var prepared = new PreparedInput[inputs.Count];
        var results = new EmbeddingResult?[inputs.Count];
        var firstWithKey = new int[inputs.Count];
        var bypass = new List<int>();
        var pending = new List<int>();
        Dictionary<string, int>? seen = inputs.Count > 1 ? new(StringComparer.Ordinal) : null;
        bool undeclaredOption = IsUndeclared(options, metadata);
        for (int i = 0; i < inputs.Count; i++)
        {
            prepared[i] = undeclaredOption
                ? PreparedInput.Bypass(inputs[i])
                : await PrepareAsync(inputs[i], metadata, options, cancellationToken).ConfigureAwait(false);
            firstWithKey[i] = i;
            if (prepared[i].Failure is { } failure)
            {
                results[i] = failure;
            }
            else if (prepared[i].Key is not { } key)
            {
                bypass.Add(i);
            }
            else if (seen is not null && !seen.TryAdd(key, i))
            {
                // Equal content in one batch: looked up and computed once.
                firstWithKey[i] = seen[key];
            }
            else
            {
                pending.Add(i);
            }
        }

        for (int round = 0; pending.Count > 0 || (round == 0 && bypass.Count > 0); round++)
        {
            pending = await RunRoundAsync(round, pending, round == 0 ? bypass : [], prepared, results, metadata, options, cancellationToken)
                .ConfigureAwait(false);
        }

        for (int i = 0; i < results.Length; i++)
        {
            results[i] ??= Share(results[firstWithKey[i]]!);
        }

        return results!;
    }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is null && serviceType.IsInstanceOfType(this) ? this : _inner.GetService(serviceType, serviceKey);
    }

    /// <summary>Disposes the inner provider and a memory cache this provider created.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _inner.Dispose();
            _ownedCache?.Dispose();
        }
    }

    /// <summary>Creates a provider with its own size-bounded memory cache.</summary>
    internal static CachingEmbeddingProvider CreateWithMemoryCache(
        IEmbeddingProvider innerProvider, EmbeddingCacheOptions? options, ILoggerFactory? loggerFactory, IMeterFactory? meterFactory)
    {
        ArgumentNullException.ThrowIfNull(innerProvider);
        EmbeddingCacheOptions snapshot = options?.Clone() ?? new EmbeddingCacheOptions();
        EmbeddingCacheOptionsValidator.ThrowIfInvalid(snapshot, nameof(options));
        var cache = new MemoryCache(
            new MemoryCacheOptions { SizeLimit = snapshot.MemorySizeLimitBytes, TrackStatistics = true },
            loggerFactory ?? NullLoggerFactory.Instance);
        return new CachingEmbeddingProvider(innerProvider, o => new MemoryEmbeddingCacheStore(cache, o), snapshot, loggerFactory, meterFactory, cache);
    }

    /// <summary>Creates a provider whose backend is chosen by <see cref="EmbeddingCacheOptions.Backend"/>, taking the
    /// distributed cache, logger factory and meter factory from <paramref name="services"/>.</summary>
    internal static CachingEmbeddingProvider Create(IEmbeddingProvider innerProvider, EmbeddingCacheOptions options, IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(services);
        var loggerFactory = services.GetService<ILoggerFactory>();
        var meterFactory = services.GetService<IMeterFactory>();
        if (options.Backend != EmbeddingCacheBackend.Distributed)
        {
            return CreateWithMemoryCache(innerProvider, options, loggerFactory, meterFactory);
        }

        IDistributedCache cache = options.DistributedCacheServiceKey is { } key
            ? services.GetRequiredKeyedService<IDistributedCache>(key)
            : services.GetRequiredService<IDistributedCache>();
        return new CachingEmbeddingProvider(innerProvider, cache, options, loggerFactory, meterFactory);
    }

    /// <summary>Gets the key a text or in-memory image input is stored under with the given options.</summary>
    internal string GetKey(EmbeddingInput input, EmbeddingRequestOptions? options = null)
    {
        EmbeddingCacheContext context = Context(_inner.Metadata, input.Modality, options);
        return input.Kind switch
        {
            EmbeddingInputKind.Text => EmbeddingCacheKeys.ForText(context, input.Text!),
            EmbeddingInputKind.ImageBytes => EmbeddingCacheKeys.ForEncodedImage(context, input.ImageBytes.Span),
            EmbeddingInputKind.ImagePixels => EmbeddingCacheKeys.ForPixels(context, input.Pixels!),
            _ => throw new ArgumentException("Only texts, image bytes and pixels have a key without reading them.", nameof(input)),
        };
    }

    private static Func<EmbeddingCacheOptions, IEmbeddingCacheStore> ForDistributed(IDistributedCache cache)
    {
        ArgumentNullException.ThrowIfNull(cache);
        return o => new DistributedEmbeddingCacheStore(cache, o);
    }

    private static Func<EmbeddingCacheOptions, IEmbeddingCacheStore> ForMemory(IMemoryCache cache)
    {
        ArgumentNullException.ThrowIfNull(cache);
        return o => new MemoryEmbeddingCacheStore(cache, o);
    }

    /// <summary>
    /// Whether the options ask for something the model does not declare (more dimensions than it has, a prompt it
    /// does not define). Such calls go to the inner provider untouched, so that its <see cref="ArgumentException"/> is
    /// never masked by a hit (an image, whose key ignores prompts, would otherwise be found).
    /// </summary>
    private static bool IsUndeclared(EmbeddingRequestOptions? options, EmbeddingProviderMetadata metadata) =>
        options is not null
        && ((options.Dimensions is { } dimensions && dimensions > metadata.Dimensions)
            || (options.PromptName is { } prompt && metadata.PromptNames.Count > 0 && !metadata.PromptNames.Contains(prompt)));

    private static EmbeddingResult Share(EmbeddingResult result) =>
        result.Embedding is { } e
            ? EmbeddingResult.Success(new Embedding<float>(e.Vector) { ModelId = e.ModelId, CreatedAt = e.CreatedAt }, result.ProviderName)
            : result;

    /// <summary>
    /// One pass over the keys still unresolved: join computations already running, look the rest up, claim the misses
    /// and compute them (with the inputs that bypass the cache) in one inner call. Returns the keys whose leader
    /// failed, to try again.
    /// </summary>
    private async Task<List<int>> RunRoundAsync(
        int round,
        List<int> pending,
        List<int> bypass,
        PreparedInput[] prepared,
        EmbeddingResult?[] results,
        EmbeddingProviderMetadata metadata,
        EmbeddingRequestOptions? options,
        CancellationToken cancellationToken)
    {
        bool singleFlight = round < SingleFlightRounds;
        var followers = new List<(int Index, Task<EmbeddingResult?> Leader)>();
        var lookUp = new List<int>(pending.Count);
        foreach (int i in pending)
        {
            if (singleFlight && _inFlight.TryGetValue(prepared[i].Key!, out TaskCompletionSource<EmbeddingResult?>? running))
            {
                followers.Add((i, running.Task));
            }
            else
            {
                lookUp.Add(i);
            }
        }

        await LookUpAsync(lookUp, prepared, results, metadata, cancellationToken).ConfigureAwait(false);

        var retry = new List<int>();
        var compute = new List<int>(bypass);
        var leaders = new List<(int Index, TaskCompletionSource<EmbeddingResult?>? Signal)>();
        foreach (int i in lookUp)
        {
            if (results[i] is not null)
            {
                continue;
            }

            string key = prepared[i].Key!;
            if (!singleFlight)
            {
                leaders.Add((i, null));
                compute.Add(i);
                continue;
            }

            var signal = new TaskCompletionSource<EmbeddingResult?>(TaskCreationOptions.RunContinuationsAsynchronously);
            if (_inFlight.TryAdd(key, signal))
            {
                leaders.Add((i, signal));
                compute.Add(i);
            }
            else if (_inFlight.TryGetValue(key, out TaskCompletionSource<EmbeddingResult?>? running))
            {
                followers.Add((i, running.Task));
            }
            else
            {
                retry.Add(i); // The other leader finished between the two checks; its vector is in the cache now.
            }
        }

        // Leaders compute before followers wait, so two calls that lead each other's keys never wait on each other.
        if (compute.Count > 0)
        {
            await ComputeAsync(compute, leaders, prepared, results, options, cancellationToken).ConfigureAwait(false);
        }

        foreach ((int index, Task<EmbeddingResult?> leader) in followers)
        {
            EmbeddingResult? shared = await leader.WaitAsync(cancellationToken).ConfigureAwait(false);
            if (shared is not null)
            {
                results[index] = Share(shared);
            }
            else
            {
                retry.Add(index);
            }
        }

        return retry;
    }

    private async Task ComputeAsync(
        List<int> compute,
        List<(int Index, TaskCompletionSource<EmbeddingResult?>? Signal)> leaders,
        PreparedInput[] prepared,
        EmbeddingResult?[] results,
        EmbeddingRequestOptions? options,
        CancellationToken cancellationToken)
    {
        try
        {
            var inputs = new EmbeddingInput[compute.Count];
            for (int j = 0; j < inputs.Length; j++)
            {
                inputs[j] = prepared[compute[j]].Input;
            }

            IReadOnlyList<EmbeddingResult> computed = await _inner.EmbedAsync(inputs, options, cancellationToken).ConfigureAwait(false);
            if (computed is null || computed.Count != inputs.Length)
            {
                throw new InvalidOperationException(
                    $"The inner provider '{_inner.Metadata.ProviderName}' returned {computed?.Count ?? 0} results for {inputs.Length} inputs.");
            }

            for (int j = 0; j < inputs.Length; j++)
            {
                results[compute[j]] = computed[j] ?? throw new InvalidOperationException(
                    $"The inner provider '{_inner.Metadata.ProviderName}' returned no result for input {j}.");
            }

            // Waiting callers get their vectors now; a failure makes them try themselves rather than share it.
            foreach ((int index, TaskCompletionSource<EmbeddingResult?>? signal) in leaders)
            {
                signal?.TrySetResult(results[index]!.Succeeded ? results[index] : null);
            }

            await WriteAsync(leaders, prepared, results, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // Removed only after the write, so a caller arriving meanwhile joins the finished computation instead of
            // missing the cache and computing again.
            foreach ((int index, TaskCompletionSource<EmbeddingResult?>? signal) in leaders)
            {
                if (signal is not null)
                {
                    signal.TrySetResult(null);
                    _inFlight.TryRemove(new KeyValuePair<string, TaskCompletionSource<EmbeddingResult?>>(prepared[index].Key!, signal));
                }
            }
        }
    }
}
