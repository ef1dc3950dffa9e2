using System.Diagnostics.Metrics;
using Embeddings.Composition;
using Embeddings.Diagnostics;
using Embeddings.Remote;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Embeddings.DependencyInjection;

/// <summary>
/// Builds, once per container, the providers <c>AddEmbeddings()</c> registers, logs the mode chosen, and owns them.
/// </summary>
/// <remarks>
/// Visual provider, local mode: a lazily loaded local model (with the cache inside, when there is one).
/// Remote mode: the cache, then a <see cref="FallbackProvider"/> over the <see cref="HuggingFaceProvider"/> and the lazily
/// loaded local model. Text provider: a lazily loaded local model (with the cache inside).
/// </remarks>
internal sealed class EmbeddingsProviders : IDisposable
{
    /// <summary>The provider name reported by a local model before it is loaded.</summary>
    public const string LocalProviderName = "local-onnx";

    private readonly IServiceProvider _services;
    private readonly EmbeddingsOptions _options;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly IMeterFactory? _meterFactory;
    private readonly EmbeddingsMetrics _metrics;
    private readonly TimeProvider _timeProvider;
    private readonly IEmbeddingUsageObserver? _usageObserver;
    private readonly ILocalModelLoader _loader;
    private int _disposed;

    public EmbeddingsProviders(IServiceProvider services)
    {
        _services = services;
        _options = services.GetRequiredService<IOptions<EmbeddingsOptions>>().Value;
        _loggerFactory = services.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance;
        _logger = _loggerFactory.CreateLogger("Embeddings.DependencyInjection");
        _meterFactory = services.GetService<IMeterFactory>();
        _metrics = EmbeddingsMetrics.For(_meterFactory);
        _timeProvider = services.GetService<TimeProvider>() ?? TimeProvider.System;
        _usageObserver = UsageObserverFanOut.Combine(services.GetServices<IEmbeddingUsageObserver>(), _logger);
        _loader = services.GetRequiredService<ILocalModelLoader>();
        Plan = EmbeddingsPlan.For(_options);

        Image = _options.Visual.Enabled ? BuildVisual() : null;
        Text = _options.Text.Enabled ? BuildText() : null;
        LogModes();
    }

    /// <summary>Gets what the options amount to.</summary>
    public EmbeddingsPlan Plan { get; }

    /// <summary>Gets the visual provider, unless it is disabled.</summary>
    public EmbeddingRole? Image { get; }

    /// <summary>Gets the text provider, unless it is disabled.</summary>
    public EmbeddingRole? Text { get; }

    /// <summary>Gets the unkeyed provider: the text one, else the visual one.</summary>
    public IEmbeddingProvider? Default => Text?.Provider ?? Image?.Provider;

    /// <summary>Gets the providers that are enabled.</summary>
    public IEnumerable<EmbeddingRole> Roles => Image is null ? Text is null ? [] : [Text] : Text is null ? [Image] : [Image, Text];

    /// <summary>Gets the provider registered under a key, if any.</summary>
    public EmbeddingRole? For(string key) => key == EmbeddingsServiceKeys.Image ? Image : key == EmbeddingsServiceKeys.Text ? Text : null;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        foreach (EmbeddingRole role in Roles)
        {
            role.Provider.Dispose();
            role.Fallback?.Dispose();
            role.Remote?.Dispose();
            role.Local.Dispose();
        }
    }

    private static string LoadingText(EmbeddingModelLoading loading) => loading switch
    {
        EmbeddingModelLoading.AtStartup => "at start-up",
        EmbeddingModelLoading.BeforeStartup => "before start-up",
        _ => "on first use",
    };

    private EmbeddingRole BuildVisual()
    {
        LazyEmbeddingProvider local = Lazy(EmbeddingsServiceKeys.Image, _options.Visual.Model!, EmbeddingModalities.Text | EmbeddingModalities.Image, cacheInside: !Plan.RemoteActive);
        if (!Plan.RemoteActive)
        {
            return new EmbeddingRole(EmbeddingsServiceKeys.Image, local, local, remote: null, fallback: null);
        }

        HuggingFaceProvider? remote = null;
        try
        {
            var httpClient = _services.GetRequiredService<IHttpClientFactory>().CreateClient(EmbeddingsServiceCollectionExtensions.RemoteHttpClientName);
            remote = new HuggingFaceProvider(httpClient, Plan.Remote, _loggerFactory.CreateLogger<HuggingFaceProvider>(), _timeProvider, _usageObserver);

            // The ids were checked at start-up (equal, or declared compatible); the local model's own id (a folder's
            // name) is not known before it loads, so the fallback is told not to compare them again.
            FallbackProviderOptions fallbackOptions = _options.Fallback.Clone();
            fallbackOptions.AssumeCompatible = true;
            fallbackOptions.LeaveOpen = true;
            var fallback = new FallbackProvider([remote, local], fallbackOptions, _loggerFactory, _meterFactory, _usageObserver, _timeProvider);
            IEmbeddingProvider provider = _options.Cache is { } cache ? CachingEmbeddingProvider.Create(fallback, cache, _services) : fallback;
            return new EmbeddingRole(EmbeddingsServiceKeys.Image, provider, local, remote, fallback);
        }
        catch
        {
            remote?.Dispose();
            local.Dispose();
            throw;
        }
    }

    private EmbeddingRole BuildText()
    {
        LazyEmbeddingProvider local = Lazy(EmbeddingsServiceKeys.Text, _options.Text.Model!, EmbeddingModalities.Text, cacheInside: true);
        return new EmbeddingRole(EmbeddingsServiceKeys.Text, local, local, remote: null, fallback: null);
    }

    private LazyEmbeddingProvider Lazy(string role, string model, EmbeddingModalities modalities, bool cacheInside)
    {
        var placeholder = new EmbeddingProviderMetadata(LocalProviderName, DisplayId(model), 0, modalities);
        var request = new LocalModelRequest(role, model, _options);
        EmbeddingCacheOptions? cache = cacheInside ? _options.Cache : null;
        return new LazyEmbeddingProvider(
            role,
            placeholder,
            async cancellationToken =>
            {
                IEmbeddingProvider loaded = await _loader.LoadAsync(request, cancellationToken).ConfigureAwait(false);
                if (cache is null)
                {
                    return loaded;
                }

                try
                {
                    // Inside the lazy provider, the cache sees the loaded model's id and revision from its first call.
                    return CachingEmbeddingProvider.Create(loaded, cache, _services);
                }
                catch
                {
                    loaded.Dispose();
                    throw;
                }
            },
            _logger,
            _metrics,
            _timeProvider);
    }

    /// <summary>The id a local model reports: a folder's name for a folder, else the id itself.</summary>
    private static string DisplayId(string model)
    {
        if (!Directory.Exists(model))
        {
            return model;
        }

        string name = Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(model)));
        return name.Length > 0 ? name : model;
    }

    private void LogModes()
    {
        string loading = LoadingText(_options.ModelLoading);
        if (Image is null)
        {
            EmbeddingsLog.VisualDisabled(_logger);
        }
        else
        {
            if (Plan.RemoteWithoutKey)
            {
                EmbeddingsLog.RemoteWithoutKey(_logger);
            }

            if (Image.Remote is { } remote)
            {
                HuggingFaceProviderOptions r = Plan.Remote;
                EmbeddingsLog.VisualModeRemote(
                    _logger, r.ModelId!, remote.Metadata.ProviderUri?.ToString() ?? string.Empty, r.Protocol.ToString(), r.BatchSize,
                    r.Timeout.TotalSeconds, r.MaxRetries, _options.Visual.Model!, loading);
                if ((remote.Metadata.Modalities & EmbeddingModalities.Image) == 0)
                {
                    EmbeddingsLog.RemoteTextOnly(_logger, r.Protocol.ToString(), _options.Visual.Model!);
                }
            }
            else
            {
                EmbeddingsLog.VisualModeLocal(_logger, _options.Visual.Model!, _options.Local.ImageBatchSize, loading);
            }
        }

        if (Text is null)
        {
            EmbeddingsLog.TextDisabled(_logger);
        }
        else
        {
            EmbeddingsLog.TextModel(_logger, _options.Text.Model!, _options.Local.TextBatchSize, loading);
        }
    }
}
