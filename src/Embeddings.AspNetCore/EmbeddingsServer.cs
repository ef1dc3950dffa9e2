using System.Diagnostics;
using System.Diagnostics.Metrics;
using Embeddings.DependencyInjection;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Embeddings.AspNetCore;

/// <summary>
/// The state behind one <c>MapEmbeddings()</c> call: the options, the token check, the providers (resolved when the
/// application starts) with their batchers, and readiness.
/// </summary>
internal sealed partial class EmbeddingsServer
{
    private readonly IServiceProvider _services;
    private readonly EmbeddingsEndpointOptions _options;
    private readonly BearerTokenValidator? _tokenValidator;
    private readonly ILogger _logger;
    private readonly ServerMetrics _metrics;
    private readonly TimeProvider _timeProvider;
    private readonly ArrivalTracker _arrivals = new();
    private readonly CancellationTokenSource _stopped = new();
    private readonly Lock _startGate = new();
    private Task<ServedModels>? _models;
    private long _lastQueueFullLog;
    private int _suppressedQueueFullLogs;
    private volatile bool _stopping;

    private EmbeddingsServer(IServiceProvider services, EmbeddingsEndpointOptions options, string? token)
    {
        _services = services;
        _options = options;
        _tokenValidator = token is null ? null : new BearerTokenValidator(token);
        _logger = services.GetService<ILoggerFactory>()?.CreateLogger("Embeddings.AspNetCore.EmbeddingsServer") ?? NullLogger.Instance;
        _metrics = new ServerMetrics(services.GetService<IMeterFactory>());
        _timeProvider = services.GetService<TimeProvider>() ?? TimeProvider.System;
    }

    /// <summary>Gets the options in force (a copy; later changes to the caller's instance have no effect).</summary>
    internal EmbeddingsEndpointOptions Options => _options;

    /// <summary>Creates the server state, checking the options, the token and that a provider is registered.</summary>
    /// <param name="services">The application's services.</param>
    /// <param name="options">The options (already copied).</param>
    /// <param name="environmentToken">The value of the <c>auth_token</c> environment variable.</param>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    /// <exception cref="InvalidOperationException">No provider is registered, or no token is configured and
    /// anonymous access is not allowed.</exception>
    public static EmbeddingsServer Create(IServiceProvider services, EmbeddingsEndpointOptions options, string? environmentToken)
    {
        List<string> failures = options.Validate();
        if (failures.Count > 0)
        {
            throw new ArgumentException($"Invalid {nameof(EmbeddingsEndpointOptions)}: {string.Join(" ", failures)}", nameof(options));
        }

        if (services.GetService<IServiceProviderIsKeyedService>() is { } registrations
            && !registrations.IsService(typeof(IEmbeddingProvider))
            && !registrations.IsKeyedService(typeof(IEmbeddingProvider), EmbeddingsServiceKeys.Text)
            && !registrations.IsKeyedService(typeof(IEmbeddingProvider), EmbeddingsServiceKeys.Image))
        {
            throw new InvalidOperationException(
                "MapEmbeddings() needs an IEmbeddingProvider service: register one, unkeyed or keyed under "
                + $"EmbeddingsServiceKeys.Text (\"{EmbeddingsServiceKeys.Text}\") and/or EmbeddingsServiceKeys.Image (\"{EmbeddingsServiceKeys.Image}\").");
        }

        string? token = !string.IsNullOrWhiteSpace(options.AuthToken) ? options.AuthToken
            : !string.IsNullOrWhiteSpace(environmentToken) ? environmentToken
            : null;
        if (token is null && !options.AllowAnonymous)
        {
            throw new InvalidOperationException(
                "No bearer token is configured for the embedding endpoints: set the "
                + $"'{EmbeddingsEndpointOptions.AuthTokenEnvironmentVariable}' environment variable or {nameof(EmbeddingsEndpointOptions)}.{nameof(EmbeddingsEndpointOptions.AuthToken)}, "
                + $"or set {nameof(EmbeddingsEndpointOptions.AllowAnonymous)} to serve them without one.");
        }

        var server = new EmbeddingsServer(services, options, token);
        ServerLog.Mapped(server._logger, token is null ? "none" : "bearer", options.MaxBatchSize, options.MaxQueuedInputs);
        if (token is null)
        {
            ServerLog.Anonymous(server._logger);
        }

        return server;
    }

    /// <summary>Resolves and warms up the providers in the background (when the application has started).</summary>
    public void Start() => _ = EnsureStarted();

    /// <summary>Marks the server as stopping: readiness answers 503 while in-flight requests finish.</summary>
    public void OnStopping()
    {
        _stopping = true;
        ServerLog.Stopping(_logger);
    }

    /// <summary>Stops the batchers once the web server has let in-flight requests finish.</summary>
    public void OnStopped()
    {
        _stopping = true;
        _stopped.Cancel();
        int dropped = 0;
        Task<ServedModels>? models = Volatile.Read(ref _models);
        if (models is { IsCompletedSuccessfully: true })
        {
            foreach (DynamicBatcher batcher in models.Result.Batchers)
            {
                dropped += batcher.Stop();
            }
        }

        ServerLog.Stopped(_logger, dropped);
    }

    /// <summary>Gets the providers, starting them if the application has not (a host without lifetime events).</summary>
    internal Task<ServedModels> EnsureStarted()
    {
        Task<ServedModels>? models = Volatile.Read(ref _models);
        if (models is not null)
        {
            return models;
        }

        lock (_startGate)
        {
            return _models ??= Task.Run(StartProvidersAsync);
        }
    }

    private async Task<ServedModels> StartProvidersAsync()
    {
        IEmbeddingProvider? text;
        IEmbeddingProvider? image;
        try
        {
            // Resolving may load a model (a local provider's constructor): done here, off the request path.
            text = Resolve(EmbeddingsServiceKeys.Text);
            image = Resolve(EmbeddingsServiceKeys.Image);
        }
        catch (Exception ex)
        {
            ServerLog.StartFailed(_logger, "text/image", ex);
            return ServedModels.Failed(ex);
        }

        DynamicBatcher? textBatcher = null;
        DynamicBatcher? imageBatcher = null;
        try
        {
            if (text is not null)
            {
                string modality = ReferenceEquals(text, image) ? "text+image" : "text";
                await WarmUpAsync(text, modality).ConfigureAwait(false);
                textBatcher = new DynamicBatcher(text, modality, _options, _arrivals, _timeProvider, _metrics, _logger);
            }

            if (image is not null)
            {
                if (ReferenceEquals(text, image))
                {
                    imageBatcher = textBatcher;
                }
                else
                {
                    await WarmUpAsync(image, "image").ConfigureAwait(false);
                    imageBatcher = new DynamicBatcher(image, "image", _options, _arrivals, _timeProvider, _metrics, _logger);
                }
            }
        }
        catch (Exception ex)
        {
            ServerLog.StartFailed(_logger, text is null ? "image" : "text", ex);
            textBatcher?.Stop();
            imageBatcher?.Stop();
            return ServedModels.Failed(ex);
        }

        var models = ServedModels.Started(textBatcher, imageBatcher);
        if (_stopped.IsCancellationRequested)
        {
            foreach (DynamicBatcher batcher in models.Batchers)
            {
                batcher.Stop();
            }
        }

        return models;
    }

    private IEmbeddingProvider? Resolve(string key) =>
        _services.GetKeyedService<IEmbeddingProvider>(key) ?? _services.GetService<IEmbeddingProvider>();

    private async Task WarmUpAsync(IEmbeddingProvider provider, string modality)
    {
        long started = Stopwatch.GetTimestamp();
        EmbeddingProviderMetadata metadata = provider.Metadata;
        if (_options.WarmUp)
        {
            EmbeddingInput? input = (metadata.Modalities & EmbeddingModalities.Text) != 0
                ? EmbeddingInput.FromText("warm-up", "warm-up text")
                : (metadata.Modalities & EmbeddingModalities.Image) != 0
                    ? EmbeddingInput.FromPixels(new RgbImage(32, 32, new byte[32 * 32 * 3]), "warm-up image")
                    : null;
            if (input is not null)
            {
                IReadOnlyList<EmbeddingResult> results = await provider.EmbedAsync([input], null, _stopped.Token).ConfigureAwait(false);
                if (results.Count > 0 && results[0].Error is { } error)
                {
                    ServerLog.WarmUpFailed(_logger, modality, error.GetType().Name, error);
                }
            }

            metadata = provider.Metadata;
        }

        ServerLog.ModelReady(_logger, modality, metadata.ModelId, metadata.Dimensions, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    /// <summary>Checks the bearer token; <see langword="null"/> when the request may proceed.</summary>
    private ApiError? Authorize(HttpContext context)
    {
        if (_tokenValidator is null)
        {
            return null;
        }

        var values = context.Request.Headers.Authorization;
        BearerTokenCheck check = values.Count switch
        {
            0 => BearerTokenCheck.Missing,
            1 => _tokenValidator.Check(values[0]),
            _ => BearerTokenCheck.Invalid,
        };

        switch (check)
        {
            case BearerTokenCheck.Valid:
                return null;
            case BearerTokenCheck.Missing:
                _metrics.Rejected("unauthorized");
                ServerLog.Unauthorized(_logger, "missing");
                return new ApiError(StatusCodes.Status401Unauthorized, "Missing bearer token: send 'Authorization: Bearer <token>'.", ErrorTypes.Unauthorized)
                {
                    Challenge = "Bearer",
                };
            default:
                _metrics.Rejected("unauthorized");
                ServerLog.Unauthorized(_logger, "invalid");
                return new ApiError(StatusCodes.Status401Unauthorized, "Invalid bearer token.", ErrorTypes.Unauthorized)
                {
                    Challenge = "Bearer error=\"invalid_token\"",
                };
        }
    }
}
