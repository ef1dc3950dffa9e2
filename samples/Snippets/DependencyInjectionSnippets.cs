using Embeddings;
using Embeddings.DependencyInjection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Snippets;

/// <summary>Registering and using the providers with <c>AddEmbeddings()</c>.</summary>
internal static class DependencyInjectionSnippets
{
    public static async Task QuickStartAsync(string[] args)
    {
        #region snippet: di-quick-start
        var builder = Host.CreateApplicationBuilder(args);   // or WebApplication.CreateBuilder(args)
        builder.Services.AddEmbeddings();                    // the environment, then the "Embeddings" configuration section
        builder.Services.AddHealthChecks();                  // optional: the embeddings health checks join

        using IHost host = builder.Build();
        await host.StartAsync();

        // The visual model (SigLIP-class): images, and the texts that search them.
        var visual = host.Services.GetRequiredKeyedService<IEmbeddingProvider>(EmbeddingsServiceKeys.Image);
        ReadOnlyMemory<float> photo = await visual.EmbedImageFileAsync("photos/beach.jpg");

        // The text model (EmbeddingGemma-class), with its document prompt.
        var texts = host.Services.GetRequiredKeyedService<IEmbeddingProvider>(EmbeddingsServiceKeys.Text);
        ReadOnlyMemory<float> passage = await texts.EmbedTextAsync(
            "Returns are accepted within 30 days.", new EmbeddingRequestOptions { PromptName = "document" });
        #endregion
        _ = (photo, passage);
    }

    public static void Configure(IServiceCollection services)
    {
        #region snippet: di-configure
        services.AddEmbeddings(options =>
        {
            options.Visual.Model = "./models/siglip2-base-patch16-224";   // a folder, or a hub id
            options.Text.Model = "onnx-community/embeddinggemma-300m-ONNX";
            options.Local.ModelSource.Offline = true;                      // never download: the hub cache or folders only
            options.ModelLoading = EmbeddingModelLoading.BeforeStartup;    // the host's start waits for the models
        })
        .AddCache(cache => cache.SlidingExpiration = TimeSpan.FromHours(1))
        .AddUsageObserver<RemoteSnippets.CostLog>();
        #endregion
    }

    #region snippet: di-inject
    // Inject the keyed provider, or the Microsoft.Extensions.AI generator, wherever vectors are needed.
    internal sealed class PhotoIndexer([FromKeyedServices(EmbeddingsServiceKeys.Image)] IEmbeddingProvider visual)
    {
        public async Task<float[]?> EmbedAsync(string path, CancellationToken cancellationToken)
        {
            IReadOnlyList<EmbeddingResult> results = await visual.EmbedAsync([EmbeddingInput.FromImageFile(path)], cancellationToken: cancellationToken);
            return results[0].Succeeded ? results[0].Vector.ToArray() : null;   // results[0].Error says why not
        }
    }
    #endregion
}
