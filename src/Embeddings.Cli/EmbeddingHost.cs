using Embeddings.Local;
using Microsoft.Extensions.Logging;

namespace Embeddings.Cli;

/// <summary>The provider behind <c>embed</c> and <c>search</c>, with what it needs kept alive until disposed.</summary>
internal sealed class EmbeddingHost : IAsyncDisposable
{
    private readonly ILoggerFactory _loggerFactory;

    private EmbeddingHost(IEmbeddingProvider provider, ILoggerFactory loggerFactory)
    {
        Provider = provider;
        _loggerFactory = loggerFactory;
    }

    public IEmbeddingProvider Provider { get; }

    public static async Task<EmbeddingHost> StartAsync(string model, LocalOnnxProviderOptions options, bool verbose, CancellationToken cancellationToken)
    {
        ILoggerFactory loggerFactory = CliLogging.CreateFactory(verbose);
        try
        {
            LocalOnnxProvider provider = await LocalModels.LoadAsync(model, options, loggerFactory, cancellationToken).ConfigureAwait(false);
            return new EmbeddingHost(provider, loggerFactory);
        }
        catch
        {
            loggerFactory.Dispose();
            throw;
        }
    }

    public ValueTask DisposeAsync()
    {
        Provider.Dispose();
        _loggerFactory.Dispose();
        return ValueTask.CompletedTask;
    }
}
