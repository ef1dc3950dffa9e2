using System.Diagnostics.Metrics;
using System.Net;
using Embeddings;
using Embeddings.DependencyInjection;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the embedding providers: <c>services.AddEmbeddings()</c>.</summary>
public static class EmbeddingsServiceCollectionExtensions
{
    /// <summary>The configuration section the parameterless overloads bind: <c>Embeddings</c>.</summary>
    public const string DefaultSectionName = "Embeddings";

    /// <summary>The name of the <see cref="HttpClient"/> (from <c>IHttpClientFactory</c>) the remote provider uses;
    /// configure it further with <c>services.AddHttpClient(RemoteHttpClientName)</c>.</summary>
    public const string RemoteHttpClientName = "Embeddings.Remote";

    /// <summary>
    /// Registers the visual and text embedding providers, configured from the environment variables of the Python
    /// deployment and the <c>Embeddings</c> section of the application's configuration.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <returns>A builder, to chain <c>.AddCache()</c>, <c>.AddUsageObserver&lt;T&gt;()</c>.</returns>
    /// <remarks>
    /// <para><b>Registered.</b> <see cref="IEmbeddingProvider"/> keyed <see cref="EmbeddingsServiceKeys.Image"/> (the
    /// visual model: images and the texts that search them) and <see cref="EmbeddingsServiceKeys.Text"/> (the text
    /// model); the unkeyed <see cref="IEmbeddingProvider"/> is the text provider, or the visual one when text is
    /// disabled. The Microsoft.Extensions.AI generators over them: <c>IEmbeddingGenerator&lt;string,
    /// Embedding&lt;float&gt;&gt;</c> unkeyed (the unkeyed provider) and keyed by both keys, and
    /// <c>IEmbeddingGenerator&lt;DataContent, Embedding&lt;float&gt;&gt;</c> unkeyed and keyed
    /// <see cref="EmbeddingsServiceKeys.Image"/>. A provider that is disabled resolves to <see langword="null"/>.
    /// Health checks <c>embeddings-image</c> and <c>embeddings-text</c> join the application's health checks when it
    /// registers them (<c>AddHealthChecks()</c>). A hosted service builds the providers when the host starts, logs the
    /// mode, and loads the models when <see cref="EmbeddingsOptions.ModelLoading"/> says so.</para>
    /// <para><b>Configured.</b> See <see cref="EmbeddingsOptions"/>: the environment sets the defaults, the
    /// configuration section overrides them, and <c>configure</c> overrides both. The options are validated when the
    /// host starts.</para>
    /// <para><b>Remote mode</b> (<c>VISUAL_EMBEDDING_MODE=remote</c> with an API key): the visual provider sends
    /// requests to the remote service through the <see cref="RemoteHttpClientName"/> client and falls back to the local
    /// model, input by input, while the service fails; both must run the same model. Without a key, one warning is
    /// logged and the local model runs.</para>
    /// </remarks>
    public static IEmbeddingsBuilder AddEmbeddings(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        return AddCore(services, configuration: null, configure: null);
    }

    /// <summary>Registers the embedding providers, binding a configuration section; see
    /// <see cref="AddEmbeddings(IServiceCollection)"/>.</summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The section to bind (for example <c>builder.Configuration.GetSection("Embeddings")</c>);
    /// a root configuration is bound through its <c>Embeddings</c> section.</param>
    /// <returns>A builder, to chain further registrations.</returns>
    public static IEmbeddingsBuilder AddEmbeddings(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        return AddCore(services, configuration, configure: null);
    }

    /// <summary>Registers the embedding providers, configured in code after the environment and the <c>Embeddings</c>
    /// configuration section; see <see cref="AddEmbeddings(IServiceCollection)"/>.</summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets the options; runs last, so its values win.</param>
    /// <returns>A builder, to chain further registrations.</returns>
    public static IEmbeddingsBuilder AddEmbeddings(this IServiceCollection services, Action<EmbeddingsOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        return AddCore(services, configuration: null, configure);
    }

    /// <summary>Registers the embedding providers, binding a configuration section and then applying
    /// <paramref name="configure"/>; see <see cref="AddEmbeddings(IServiceCollection)"/>.</summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The section to bind; a root configuration is bound through its <c>Embeddings</c>
    /// section.</param>
    /// <param name="configure">Sets the options; runs last, so its values win.</param>
    /// <returns>A builder, to chain further registrations.</returns>
    public static IEmbeddingsBuilder AddEmbeddings(this IServiceCollection services, IConfiguration configuration, Action<EmbeddingsOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(configure);
        return AddCore(services, configuration, configure);
    }

    private static EmbeddingsBuilder AddCore(IServiceCollection services, IConfiguration? configuration, Action<EmbeddingsOptions>? configure)
    {
        string name = Options.Options.DefaultName;
        bool first = !services.Any(d => d.ServiceType == typeof(EmbeddingsProviders));

        // The environment sets defaults: first in line, before any configuration of these options, wherever registered.
        if (first)
        {
            services.Insert(0, ServiceDescriptor.Singleton<IConfigureOptions<EmbeddingsOptions>>(
                sp => new EnvironmentEmbeddingsOptionsSetup(EmbeddingsEnvironment.From(sp))));
        }

        OptionsBuilder<EmbeddingsOptions> options = services.AddOptionsWithValidateOnStart<EmbeddingsOptions, EmbeddingsOptionsValidator>(name);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<EmbeddingsOptions>, EmbeddingsOptionsCustomValidator>());
        if (configuration is not null)
        {
            options.Bind(configuration is IConfigurationSection ? configuration : configuration.GetSection(DefaultSectionName));
        }
        else if (first)
        {
            options.Configure<IServiceProvider>(static (o, sp) => sp.GetService<IConfiguration>()?.GetSection(DefaultSectionName).Bind(o));
        }

        if (configure is not null)
        {
            options.Configure(configure);
        }

        if (first)
        {
            AddServices(services);
        }

        return new EmbeddingsBuilder(services, name);
    }

    private static void AddServices(IServiceCollection services)
    {
        services.TryAddSingleton<ILocalModelLoader>(static sp => new LocalOnnxModelLoader(sp.GetService<ILoggerFactory>(), sp.GetService<IMeterFactory>()));
        services.AddSingleton(static sp => new EmbeddingsProviders(sp));

        services.TryAddKeyedSingleton<IEmbeddingProvider>(EmbeddingsServiceKeys.Image, static (sp, _) => Providers(sp).Image?.Provider!);
        services.TryAddKeyedSingleton<IEmbeddingProvider>(EmbeddingsServiceKeys.Text, static (sp, _) => Providers(sp).Text?.Provider!);
        services.TryAddSingleton<IEmbeddingProvider>(static sp => Providers(sp).Default!);

        services.TryAddSingleton<IEmbeddingGenerator<string, Embedding<float>>>(static sp => Providers(sp).Default?.AsEmbeddingGenerator()!);
        services.TryAddKeyedSingleton<IEmbeddingGenerator<string, Embedding<float>>>(
            EmbeddingsServiceKeys.Image, static (sp, _) => Providers(sp).Image?.Provider.AsEmbeddingGenerator()!);
        services.TryAddKeyedSingleton<IEmbeddingGenerator<string, Embedding<float>>>(
            EmbeddingsServiceKeys.Text, static (sp, _) => Providers(sp).Text?.Provider.AsEmbeddingGenerator()!);
        services.TryAddSingleton<IEmbeddingGenerator<DataContent, Embedding<float>>>(static sp => Providers(sp).Image?.Provider.AsImageEmbeddingGenerator()!);
        services.TryAddKeyedSingleton<IEmbeddingGenerator<DataContent, Embedding<float>>>(
            EmbeddingsServiceKeys.Image, static (sp, _) => Providers(sp).Image?.Provider.AsImageEmbeddingGenerator()!);

        // The provider times each attempt itself: the client must not cut it short. It holds the client for its
        // lifetime, so pooled connections are recycled by the handler instead (DNS changes are seen).
        services.AddHttpClient(RemoteHttpClientName, static client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(static () => new SocketsHttpHandler
            {
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                AutomaticDecompression = DecompressionMethods.All,
            });

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, EmbeddingsStartupService>());

        // Joins the application's health checks when it has any; a check added by AddEmbeddingsHealthChecks (with its
        // own tags) is kept.
        services.AddOptions<HealthCheckServiceOptions>()
            .PostConfigure<IOptions<EmbeddingsOptions>>(static (health, embeddings) =>
                EmbeddingsHealthChecks.Add(health, embeddings.Value, EmbeddingsHealthChecks.DefaultTags));
    }

    private static EmbeddingsProviders Providers(IServiceProvider services) => services.GetRequiredService<EmbeddingsProviders>();
}
