using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Embeddings.Models;

/// <summary>
/// Turns what a user names — a local folder, or a hub id such as <c>google/siglip2-base-patch16-224</c> — into a
/// <see cref="ModelDescription"/>, downloading missing hub files into the cache first.
/// </summary>
/// <remarks>
/// <para>A name that is an existing folder is used as it is. Otherwise it must be a hub id, resolved through the hub
/// cache at <see cref="ModelSourceOptions.Revision"/>; online, only the files the layout and variant need are fetched.</para>
/// <para>The resolver is safe for concurrent use: downloads of the same file are serialized by a lock file in the cache,
/// so concurrent resolutions (threads or processes) never write the same file twice.</para>
/// </remarks>
internal sealed class ModelResolver
{
    private static readonly Lazy<HttpClient> s_defaultHttpClient = new(CreateDefaultHttpClient);

    private readonly HttpClient? _httpClient;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;

    /// <summary>Creates a resolver.</summary>
    /// <param name="httpClient">The client for hub downloads; it must not follow redirects itself. A shared default
    /// client is used when <see langword="null"/>.</param>
    /// <param name="logger">The logger; nothing is logged when <see langword="null"/>.</param>
    /// <param name="timeProvider">The clock for retry delays.</param>
    /// <exception cref="ArgumentException">The client carries a default Authorization header, which would follow
    /// downloads to CDN hosts; give the token through <see cref="ModelSourceOptions.Token"/> instead.</exception>
    public ModelResolver(HttpClient? httpClient = null, ILogger? logger = null, TimeProvider? timeProvider = null)
    {
        if (httpClient?.DefaultRequestHeaders.Authorization is not null)
        {
            throw new ArgumentException(
                "The HttpClient must not carry a default Authorization header: the hub token is sent to the hub's host only. Use ModelSourceOptions.Token.",
                nameof(httpClient));
        }

        _httpClient = httpClient;
        _logger = logger ?? NullLogger.Instance;
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Gets the environment lookup (replaced by tests, which must not change the process's environment).</summary>
    internal Func<string, string?> Environment { get; init; } = System.Environment.GetEnvironmentVariable;

    /// <summary>Gets how long a download may receive nothing before it counts as interrupted.</summary>
    internal TimeSpan IdleTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Gets the delay before retrying an interrupted download.</summary>
    internal TimeSpan RetryDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Resolves a model.</summary>
    /// <param name="model">A folder, or a hub id (<c>org/name</c>).</param>
    /// <param name="options">Where and which files to take; <see langword="null"/> for the environment's defaults.</param>
    /// <param name="includeCombinedModel">For dual encoders, also take <c>onnx/model*.onnx</c> (zero-shot needs its
    /// <c>logit_scale</c> and <c>logit_bias</c>) even when both towers are present.</param>
    /// <param name="cancellationToken">Cancels the resolution (a partial download is kept and resumed next time).</param>
    /// <returns>The description.</returns>
    /// <exception cref="EmbeddingModelException">The model cannot be found, downloaded or used; the message says why.</exception>
    public async Task<ModelDescription> ResolveAsync(
        string model, ModelSourceOptions? options = null, bool includeCombinedModel = false, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(model);
        ModelSourceSettings settings;
        try
        {
            settings = ModelSourceSettings.Resolve(options, Environment);
        }
        catch (ArgumentException ex)
        {
            throw new EmbeddingModelException(model, ex.Message, ex);
        }

        IModelFileSource source = CreateSource(model, settings);
        ModelDescription description = await new ModelLayoutReader(source, settings.Variant, includeCombinedModel)
            .ReadAsync(cancellationToken).ConfigureAwait(false);
        string revision;
        try
        {
            revision = source.Commit ?? ModelFingerprint.Compute(description.Folder, description.Files);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new EmbeddingModelException(model, $"The files of '{model}' could not be read: {ex.Message}", ex);
        }

        return description with { Revision = revision };
    }

    private IModelFileSource CreateSource(string model, ModelSourceSettings settings)
    {
        if (Directory.Exists(model))
        {
            return new LocalFolderFileSource(model, model);
        }

        if (!HubPaths.IsRepoId(model))
        {
            bool looksLikePath = Path.IsPathRooted(model) || model.StartsWith('.') || model.StartsWith('~') || model.Contains('\\', StringComparison.Ordinal);
            throw new EmbeddingModelException(model, looksLikePath
                ? $"The model folder '{model}' does not exist."
                : $"'{model}' is neither an existing model folder nor a valid hub id ('org/name' of letters, digits, '-', '_' and '.').");
        }

        var cache = new HubCache(settings.CacheDirectory);
        HubClient? client = settings.Offline
            ? null
            : new HubClient(_httpClient ?? s_defaultHttpClient.Value, settings.Endpoint, settings.Token, _timeProvider, _logger)
            {
                IdleTimeout = IdleTimeout,
                RetryDelay = RetryDelay,
            };
        return new HubFileSource(model, settings.Revision, settings.Offline, cache, client, _timeProvider, _logger);
    }

    private static HttpClient CreateDefaultHttpClient() =>
        new(new SocketsHttpHandler
        {
            // Redirects are followed by HubClient, which reads the hub's headers and keeps the token on the hub's origin.
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            ConnectTimeout = TimeSpan.FromSeconds(30),
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        })
        {
            // Large downloads take as long as they take; HubClient times out idle transfers instead.
            Timeout = Timeout.InfiniteTimeSpan,
        };
}
