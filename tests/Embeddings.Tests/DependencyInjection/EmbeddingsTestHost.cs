using Embeddings.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Embeddings.DependencyInjection;

/// <summary>
/// A real <see cref="IHost"/> whose configuration holds only the given "environment" (so tests never read or change
/// the process's environment), with every log message captured and local models loaded by a
/// <see cref="TestLocalModelLoader"/> unless the test registers another loader or asks for the real one.
/// </summary>
internal sealed class EmbeddingsTestHost : IAsyncDisposable
{
    private EmbeddingsTestHost(IHost host, CapturingLoggerProvider logs, TestLocalModelLoader loader)
    {
        Host = host;
        Logs = logs;
        Loader = loader;
    }

    public IHost Host { get; }

    public IServiceProvider Services => Host.Services;

    public CapturingLoggerProvider Logs { get; }

    public TestLocalModelLoader Loader { get; }

    public bool Started { get; private set; }

    /// <summary>Builds a host, without starting it.</summary>
    /// <param name="environment">The environment variables (and any other configuration keys) the host sees.</param>
    /// <param name="configure">Registers services: typically one of the <c>AddEmbeddings</c> overloads.</param>
    /// <param name="loader">The local model loader, or <see langword="null"/> for a default one.</param>
    /// <param name="realModels">Whether the library's own loader loads real ONNX models (<see cref="Loader"/> is then unused).</param>
    public static EmbeddingsTestHost Build(
        IReadOnlyDictionary<string, string?> environment,
        Action<HostApplicationBuilder> configure,
        TestLocalModelLoader? loader = null,
        bool realModels = false)
    {
        var settings = new HostApplicationBuilderSettings { DisableDefaults = true, Configuration = new ConfigurationManager() };
        settings.Configuration.AddInMemoryCollection(environment);
        HostApplicationBuilder builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(settings);
        var logs = new CapturingLoggerProvider();
        builder.Logging.ClearProviders().AddProvider(logs).SetMinimumLevel(LogLevel.Trace);
        loader ??= new TestLocalModelLoader();
        if (!realModels)
        {
            builder.Services.AddSingleton<ILocalModelLoader>(loader);
        }

        configure(builder);
        return new EmbeddingsTestHost(builder.Build(), logs, loader);
    }

    /// <summary>Builds and starts a host.</summary>
    public static async Task<EmbeddingsTestHost> StartAsync(
        IReadOnlyDictionary<string, string?> environment,
        Action<HostApplicationBuilder>? configure = null,
        TestLocalModelLoader? loader = null,
        bool realModels = false)
    {
        EmbeddingsTestHost host = Build(environment, configure ?? (b => b.Services.AddEmbeddings()), loader, realModels);
        try
        {
            await host.StartHostAsync();
            return host;
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Started)
        {
            await Host.StopAsync(CancellationToken.None);
        }

        Host.Dispose();
    }

    /// <summary>Starts the host (validating the options).</summary>
    public async Task StartHostAsync()
    {
        await Host.StartAsync(TestContext.Current.CancellationToken);
        Started = true;
    }
}
