using Embeddings.DependencyInjection;
using Embeddings.Local;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Embeddings.Cli;

/// <summary>
/// The provider behind <c>embed</c> and <c>search</c>, built by <c>AddEmbeddings()</c> exactly as an application gets
/// it: the environment (<c>VISUAL_EMBEDDING_MODE</c>, <c>HUGGINGFACE_*</c>, <c>HF_*</c>, and any option as
/// <c>Embeddings__Section__Key</c>) selects local or remote inference with fallback to local.
/// </summary>
internal sealed class EmbeddingHost : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private EmbeddingHost(ServiceProvider services, IEmbeddingProvider provider)
    {
        _services = services;
        Provider = provider;
    }

    public IEmbeddingProvider Provider { get; }

    public static Task<EmbeddingHost> StartAsync(string model, LocalOnnxProviderOptions local, bool verbose, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        LocalModels.CheckModelName(model);
        IConfiguration configuration = new ConfigurationBuilder().AddEnvironmentVariables().Build();
        var services = new ServiceCollection();
        services.AddLogging(logging => CliLogging.Configure(logging, verbose));
        services.AddSingleton(configuration);
        AddEmbeddings(services, configuration, model, local);
        ServiceProvider provider = services.BuildServiceProvider();
        try
        {
            // Invalid settings (a bad environment variable) fail here, as an application's start-up would.
            _ = provider.GetRequiredService<IOptions<EmbeddingsOptions>>().Value;
            IEmbeddingProvider embeddings = provider.GetRequiredKeyedService<IEmbeddingProvider>(EmbeddingsServiceKeys.Image);
            return Task.FromResult(new EmbeddingHost(provider, embeddings));
        }
        catch
        {
            provider.Dispose();
            throw;
        }
    }

    /// <summary>Registers the providers for one model, the way <c>embed</c>, <c>search</c> and <c>serve</c> share.</summary>
    public static void AddEmbeddings(IServiceCollection services, IConfiguration configuration, string model, LocalOnnxProviderOptions local,
        Action<EmbeddingsOptions>? configure = null)
    {
        services.AddEmbeddings(configuration, options =>
        {
            // One model for every input, in the visual role: it loads every side the model has (a text-only model its
            // text side), and it is the role that goes remote, with fallback to this model, when VISUAL_EMBEDDING_MODE=remote.
            options.Visual.Enabled = true;
            options.Visual.Model = model;
            options.Text.Enabled = false;
            options.Local.ModelSource.Variant = local.ModelSource.Variant;
            options.Local.Runtime.IntraOpThreads = local.Runtime.IntraOpThreads;
            configure?.Invoke(options);
        });
    }

    public ValueTask DisposeAsync() => _services.DisposeAsync();
}
