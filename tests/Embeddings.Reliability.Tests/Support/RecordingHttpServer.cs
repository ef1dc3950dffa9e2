using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Embeddings.Reliability.Support;

/// <summary>A loopback HTTP server that records every request (raw target and Authorization header) and answers
/// with a callback (404 by default).</summary>
internal sealed class RecordingHttpServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<(string Target, string? Authorization)> _requests = new();

    private RecordingHttpServer(WebApplication app) => _app = app;

    public Uri BaseUrl { get; private set; } = null!;

    public IReadOnlyList<(string Target, string? Authorization)> Requests => [.. _requests];

    public static async Task<RecordingHttpServer> StartAsync(Func<HttpContext, Task>? answer = null)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        WebApplication app = builder.Build();
        var server = new RecordingHttpServer(app);
        app.Run(async context =>
        {
            string target = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? context.Request.Path;
            server._requests.Enqueue((target, context.Request.Headers.Authorization.FirstOrDefault()));
            if (answer is null)
            {
                context.Response.StatusCode = 404;
                return;
            }

            await answer(context);
        });
        await app.StartAsync();
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseUrl = new Uri(address.EndsWith('/') ? address : address + "/");
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
