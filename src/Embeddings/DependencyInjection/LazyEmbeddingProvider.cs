using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Embeddings.DependencyInjection;

/// <summary>
/// A provider whose model is loaded on first use (or when <see cref="LoadAsync"/> is called at start-up), exactly once
/// however many calls arrive together: they all wait for the one load. Until it is loaded, its metadata is the
/// configured model id with dimension 0.
/// </summary>
/// <remarks>
/// <para>The load runs on its own, not on a caller's cancellation token: a caller that gives up stops waiting, and the
/// load goes on for the others. Disposing the provider cancels a running load and disposes the loaded model.</para>
/// <para>A failed load fails the inputs of the calls that waited for it (with the loader's
/// <see cref="EmbeddingException"/>, or an <see cref="EmbeddingModelException"/> wrapping another exception), so a
/// fallback provider in front of it sees failed results, not an exception. Calls during the next
/// <see cref="RetryPause"/> fail at once with the same error; the first call after it loads again.</para>
/// </remarks>
internal sealed class LazyEmbeddingProvider : IEmbeddingProvider
{
    /// <summary>How long a failed load is remembered before a call loads again.</summary>
    public static readonly TimeSpan RetryPause = TimeSpan.FromSeconds(10);

    private readonly Func<CancellationToken, Task<IEmbeddingProvider>> _load;
    private readonly EmbeddingProviderMetadata _placeholder;
    private readonly ILogger _logger;
    private readonly EmbeddingsMetrics _metrics;
    private readonly TimeProvider _timeProvider;
    private readonly CancellationTokenSource _disposing = new();
    private readonly Lock _gate = new();
    private Task<IEmbeddingProvider>? _loading;
    private IEmbeddingProvider? _loaded;
    private Exception? _lastError;
    private long _failedAt;
    private int _loadAttempts;
    private int _disposed;

    /// <summary>Creates the provider; nothing is loaded yet.</summary>
    /// <param name="role">What the model is for (<c>text</c> or <c>image</c>), for logs, metrics and health.</param>
    /// <param name="placeholder">The metadata reported until the model is loaded.</param>
    /// <param name="load">Loads the model; called once per load attempt, never while another attempt runs.</param>
    /// <param name="logger">The logger.</param>
    /// <param name="metrics">The load-duration instruments.</param>
    /// <param name="timeProvider">The clock of the retry pause and the load duration.</param>
    public LazyEmbeddingProvider(
        string role,
        EmbeddingProviderMetadata placeholder,
        Func<CancellationToken, Task<IEmbeddingProvider>> load,
        ILogger logger,
        EmbeddingsMetrics metrics,
        TimeProvider timeProvider)
    {
        Role = role;
        _placeholder = placeholder;
        _load = load;
        _logger = logger;
        _metrics = metrics;
        _timeProvider = timeProvider;
    }

    /// <summary>Gets what the model is for: <c>text</c> or <c>image</c>.</summary>
    public string Role { get; }

    /// <summary>Gets the configured model (the placeholder's id).</summary>
    public string ModelId => _placeholder.ModelId;

    /// <inheritdoc />
    public EmbeddingProviderMetadata Metadata => Volatile.Read(ref _loaded)?.Metadata ?? _placeholder;

    /// <summary>Gets the loaded provider, or <see langword="null"/> while there is none.</summary>
    public IEmbeddingProvider? Loaded => Volatile.Read(ref _loaded);

    /// <summary>Gets how many times a load was started.</summary>
    public int LoadAttempts => Volatile.Read(ref _loadAttempts);

    /// <summary>Gets the error of the last failed load, while the model is not loaded.</summary>
    public Exception? LastError => Loaded is null ? Volatile.Read(ref _lastError) : null;

    /// <summary>Gets where the load stands.</summary>
    public ModelLoadState State
    {
        get
        {
            if (Loaded is not null)
            {
                return ModelLoadState.Loaded;
            }

            Task<IEmbeddingProvider>? loading = Volatile.Read(ref _loading);
            return loading is null ? ModelLoadState.NotLoaded
                : !loading.IsCompleted ? ModelLoadState.Loading
                : ModelLoadState.Failed;
        }
    }

    /// <summary>Loads the model unless it is loaded or loading, and waits for it.</summary>
    /// <param name="cancellationToken">Stops the wait; the load itself goes on.</param>
    /// <returns>The loaded provider.</returns>
    /// <exception cref="ObjectDisposedException">This provider was disposed.</exception>
    /// <exception cref="Exception">The load failed (within the last <see cref="RetryPause"/>): its exception.</exception>
    public Task<IEmbeddingProvider> LoadAsync(CancellationToken cancellationToken = default)
    {
        if (Volatile.Read(ref _loaded) is { } loaded)
        {
            return Task.FromResult(loaded);
        }

        Task<IEmbeddingProvider> loading;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed != 0, this);
            if (_loading is null
                || (_loading.IsCompleted && !_loading.IsCompletedSuccessfully
                    && _timeProvider.GetElapsedTime(Volatile.Read(ref _failedAt)) >= RetryPause))
            {
                _loading = Task.Run(LoadCoreAsync, CancellationToken.None);
            }

            loading = _loading;
        }

        return loading.WaitAsync(cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<EmbeddingResult>> EmbedAsync(
        IReadOnlyList<EmbeddingInput> inputs, EmbeddingRequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        EmbeddingInputGuard.ThrowIfNullOrHasNull(inputs);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        return Volatile.Read(ref _loaded) is { } loaded
            ? loaded.EmbedAsync(inputs, options, cancellationToken)
            : LoadAndEmbedAsync(inputs, options, cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>Answers itself and <see cref="EmbeddingProviderMetadata"/>; other services come from the loaded
    /// model, and are <see langword="null"/> until it is loaded (asking never loads it).</remarks>
    public object? GetService(Type serviceType, object? serviceKey = null) =>
        EmbeddingProviderServices.GetOwnService(this, serviceType, serviceKey) ?? Loaded?.GetService(serviceType, serviceKey);

    /// <summary>Cancels a running load and disposes the loaded model.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed != 0)
            {
                return;
            }

            Volatile.Write(ref _disposed, 1);
        }

        _disposing.Cancel();
        Interlocked.Exchange(ref _loaded, null)?.Dispose();
    }

    private static EmbeddingException AsEmbeddingException(Exception exception, string modelId) => exception switch
    {
        EmbeddingException embedding => embedding,
        _ => new EmbeddingModelException(modelId, $"The model '{modelId}' could not be loaded: {exception.Message}", exception),
    };

    private async Task<IReadOnlyList<EmbeddingResult>> LoadAndEmbedAsync(
        IReadOnlyList<EmbeddingInput> inputs, EmbeddingRequestOptions? options, CancellationToken cancellationToken)
    {
        IEmbeddingProvider loaded;
        try
        {
            loaded = await LoadAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex) when (Volatile.Read(ref _disposed) == 0)
        {
            // The contract of EmbedAsync: a failure is per input, the call itself does not throw.
            EmbeddingException error = AsEmbeddingException(ex, ModelId);
            var failed = new EmbeddingResult[inputs.Count];
            Array.Fill(failed, EmbeddingResult.Failure(error, _placeholder.ProviderName));
            return failed;
        }

        return await loaded.EmbedAsync(inputs, options, cancellationToken).ConfigureAwait(false);
    }

    private async Task<IEmbeddingProvider> LoadCoreAsync()
    {
        Interlocked.Increment(ref _loadAttempts);
        long started = _timeProvider.GetTimestamp();
        using Activity? activity = EmbeddingsMetrics.ActivitySource.StartActivity($"{EmbeddingsMetrics.LoadOperationName} {ModelId}", ActivityKind.Internal);
        activity?.SetTag(EmbeddingsMetrics.ModelTag, ModelId);
        activity?.SetTag(EmbeddingsMetrics.RoleTag, Role);
        EmbeddingsLog.ModelLoading(_logger, Role, ModelId);
        try
        {
            IEmbeddingProvider provider = await _load(_disposing.Token).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"The loader of the {Role} model returned no provider.");
            lock (_gate)
            {
                if (_disposed != 0)
                {
                    provider.Dispose();
                    throw new ObjectDisposedException(nameof(LazyEmbeddingProvider));
                }

                Volatile.Write(ref _loaded, provider);
            }

            TimeSpan elapsed = _timeProvider.GetElapsedTime(started);
            Record(elapsed, "success", null);
            EmbeddingsLog.ModelLoaded(_logger, Role, ModelId, provider.Metadata.Dimensions, (long)elapsed.TotalMilliseconds);
            return provider;
        }
        catch (Exception ex)
        {
            TimeSpan elapsed = _timeProvider.GetElapsedTime(started);
            Volatile.Write(ref _lastError, ex);
            Volatile.Write(ref _failedAt, _timeProvider.GetTimestamp());
            Record(elapsed, "failure", ex.GetType().Name);
            activity?.SetStatus(ActivityStatusCode.Error);
            activity?.SetTag(EmbeddingsMetrics.ErrorTypeTag, ex.GetType().Name);
            if (Volatile.Read(ref _disposed) == 0)
            {
                EmbeddingsLog.ModelLoadFailed(_logger, Role, ModelId, (long)elapsed.TotalMilliseconds, RetryPause.TotalSeconds, ex);
            }

            throw;
        }
    }

    private void Record(TimeSpan elapsed, string outcome, string? errorType)
    {
        var tags = new TagList
        {
            { EmbeddingsMetrics.ModelTag, ModelId },
            { EmbeddingsMetrics.RoleTag, Role },
            { EmbeddingsMetrics.OutcomeTag, outcome },
        };
        if (errorType is not null)
        {
            tags.Add(EmbeddingsMetrics.ErrorTypeTag, errorType);
        }

        _metrics.LoadDuration.Record(elapsed.TotalSeconds, tags);
    }
}
