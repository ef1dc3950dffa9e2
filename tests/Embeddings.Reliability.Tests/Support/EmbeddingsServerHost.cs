using System.Net;
using System.Net.Http.Headers;
using Embeddings.AspNetCore;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Embeddings.Reliability.Support;

/// <summary>A real Kestrel server on 127.0.0.1 running <c>MapEmbeddings()</c> over a provider, with clients that send
/// the right token and none.</summary>
internal sealed class EmbeddingsServerHost : IAsyncDisposable
{
    private int _disposed;

    private EmbeddingsServerHost(WebApplication app, Uri baseUrl, string token)
    {
        App = app;
        BaseUrl = baseUrl;
        Client = new HttpClient { BaseAddress = baseUrl };
        Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        Anonymous = new HttpClient { BaseAddress = baseUrl };
    }

    public WebApplication App { get; }

    public Uri BaseUrl { get; }

    public HttpClient Client { get; }

    public HttpClient Anonymous { get; }

    public static async Task<EmbeddingsServerHost> StartAsync(
        IEmbeddingProvider provider, string token, Action<EmbeddingsEndpointOptions>? configure = null, ILoggerProvider? logs = null)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        if (logs is not null)
        {
            builder.Logging.SetMinimumLevel(LogLevel.Trace);
            builder.Logging.AddProvider(logs);
        }

        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Services.AddSingleton(provider);
        WebApplication app = builder.Build();
        app.MapEmbeddings(options =>
        {
            options.AuthToken = token;
            options.WarmUp = false;
            configure?.Invoke(options);
        });
        await app.StartAsync(TestContext.Current.CancellationToken);
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var host = new EmbeddingsServerHost(app, new Uri(address.EndsWith('/') ? address : address + "/"), token);
        for (int i = 0; i < 500; i++)
        {
            using HttpResponseMessage ready = await host.Anonymous.GetAsync("health/ready", TestContext.Current.CancellationToken);
            if (ready.StatusCode == HttpStatusCode.OK)
            {
                return host;
            }

            await Task.Delay(10, TestContext.Current.CancellationToken);
        }

        throw new TimeoutException("The server did not become ready.");
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        Client.Dispose();
        Anonymous.Dispose();
        await App.StopAsync(CancellationToken.None);
        await App.DisposeAsync();
    }
}
