using Microsoft.Extensions.Hosting;

namespace Embeddings.DependencyInjection;

/// <summary>
/// Builds the providers when the host starts (so the mode is logged and configuration errors surface at start-up), and
/// loads the local models then when <see cref="EmbeddingsOptions.ModelLoading"/> asks for it.
/// </summary>
internal sealed class EmbeddingsStartupService(EmbeddingsProviders providers) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        EmbeddingModelLoading loading = providers.Plan.Options.ModelLoading;
        if (loading == EmbeddingModelLoading.OnFirstUse)
        {
            return;
        }

        Task[] loads = [.. providers.Roles.Select(role => role.Local.LoadAsync(CancellationToken.None))];
        if (loading == EmbeddingModelLoading.BeforeStartup)
        {
            // A model that cannot be loaded fails the host's start: the exception names the model and why.
            await Task.WhenAll(loads).WaitAsync(cancellationToken).ConfigureAwait(false);
            return;
        }

        foreach (Task load in loads)
        {
            // In the background: a failure is logged by the provider and reported by the health checks.
            _ = load.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
