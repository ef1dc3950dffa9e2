using Embeddings;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ProviderBenchmarks;

/// <summary>Serves a provider with <c>MapEmbeddings()</c> on a free loopback port: the "remote" service.</summary>
internal sealed class LoopbackServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private LoopbackServer(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    /// <summary>Gets the server's base address.</summary>
    public Uri Address { get; }

    public static async Task<LoopbackServer> StartAsync(IEmbeddingProvider provider)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();

        // The server does not own the provider: the benchmark disposes it.
        builder.Services.AddSingleton(new NonOwnedProvider(provider)).AddSingleton<IEmbeddingProvider>(sp => sp.GetRequiredService<NonOwnedProvider>());
        WebApplication app = builder.Build();
        app.MapEmbeddings(options => options.AllowAnonymous = true);
        await app.StartAsync();

        string address = app.Urls.First();
        return new LoopbackServer(app, new Uri(address));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private sealed class NonOwnedProvider(IEmbeddingProvider inner) : IEmbeddingProvider
    {
        public EmbeddingProviderMetadata Metadata => inner.Metadata;

        public Task<IReadOnlyList<EmbeddingResult>> EmbedAsync(IReadOnlyList<EmbeddingInput> inputs, EmbeddingRequestOptions? options = null, CancellationToken cancellationToken = default) =>
            inner.EmbedAsync(inputs, options, cancellationToken);

        public object? GetService(Type serviceType, object? serviceKey = null) => inner.GetService(serviceType, serviceKey);

        public void Dispose()
        {
        }
    }
}
