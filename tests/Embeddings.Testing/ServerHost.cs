using System.Net;
using System.Net.Http.Headers;
using Embeddings.AspNetCore;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Embeddings.TestSupport;

/// <summary>
/// A real Kestrel server on 127.0.0.1 (an ephemeral port) running <c>MapEmbeddings()</c> over the providers a test
/// registers, with an <see cref="HttpClient"/> that sends the token (<see cref="Token"/> unless the test names its own).
/// </summary>
internal sealed class ServerHost : IAsyncDisposable
{
    public const string Token = "test-token-0123456789abcdefghijk";

    private bool _stopped;
    private int _disposed;

    private ServerHost(WebApplication app, Uri baseUrl, string token)
    {
        App = app;
        BaseUrl = baseUrl;
        Client = new HttpClient { BaseAddress = baseUrl };
        Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        Anonymous = new HttpClient { BaseAddress = baseUrl };
    }

    public WebApplication App { get; }

    public Uri BaseUrl { get; }

    /// <summary>Gets a client that sends the server's token.</summary>
    public HttpClient Client { get; }

    /// <summary>Gets a client that sends no credentials.</summary>
    public HttpClient Anonymous { get; }

    /// <summary>Starts a server whose unkeyed provider is <paramref name="provider"/>, with the token required.</summary>
    public static Task<ServerHost> StartAsync(IEmbeddingProvider provider, Action<EmbeddingsEndpointOptions>? configure = null, string token = Token) =>
        StartAsync(services => services.AddSingleton(provider), configure, token: token);

    /// <summary>Starts a server with the given registrations; the options default to requiring <paramref name="token"/>
    /// and skipping the warm-up (so fakes count only the test's own calls).</summary>
    public static async Task<ServerHost> StartAsync(
        Action<IServiceCollection> registerServices,
        Action<EmbeddingsEndpointOptions>? configure = null,
        Action<ILoggingBuilder>? logging = null,
        bool waitUntilReady = true,
        string token = Token)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        logging?.Invoke(builder.Logging);
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        registerServices(builder.Services);
        WebApplication app = builder.Build();
        app.MapEmbeddings(options =>
        {
            options.AuthToken = token;
            options.WarmUp = false;
            configure?.Invoke(options);
        });

        await app.StartAsync(CancellationToken.None);
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var host = new ServerHost(app, new Uri(address.EndsWith('/') ? address : address + "/"), token);
        if (waitUntilReady)
        {
            await host.WaitUntilReadyAsync();
        }

        return host;
    }

    /// <summary>Polls <c>/health/ready</c> until it answers 200 (at most about five seconds).</summary>
    public async Task WaitUntilReadyAsync()
    {
        for (int i = 0; i < 500; i++)
        {
            using HttpResponseMessage response = await Anonymous.GetAsync("health/ready", CancellationToken.None);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                return;
            }

            await Task.Delay(10, CancellationToken.None);
        }

        throw new TimeoutException("The server did not become ready.");
    }

    /// <summary>Stops the server (graceful: in-flight requests finish).</summary>
    public async Task StopAsync()
    {
        _stopped = true;
        await App.StopAsync(CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        Client.Dispose();
        Anonymous.Dispose();
        if (!_stopped)
        {
            await App.StopAsync(CancellationToken.None);
        }

        await App.DisposeAsync();
    }
}
