using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Embeddings.Benchmarks.Server;

/// <summary>
/// The server side of the load test (benchmarks/server/run.sh drives it with wrk from another process): serves
/// <c>POST /predict</c> over a <see cref="FixedCostProvider"/> on 127.0.0.1, either through <c>MapEmbeddings()</c>
/// (<c>--server embeddings</c>) or through the peer a user would otherwise write (<c>--server bare</c>): a minimal
/// API endpoint that binds <c>{"query"}</c>, checks the token with <c>==</c> and calls the provider once per request,
/// as the LitServe server did (max_batch_size 1). <c>GET /bench/stats</c> reports the provider's calls and inputs.
/// </summary>
internal static class ServerHarness
{
    public static async Task<int> RunAsync(string[] args)
    {
        string server = Arg(args, "--server", "embeddings");
        int port = int.Parse(Arg(args, "--port", "7860"), CultureInfo.InvariantCulture);
        double perCallMs = double.Parse(Arg(args, "--per-call-ms", "10"), CultureInfo.InvariantCulture);
        double perInputMs = double.Parse(Arg(args, "--per-input-ms", "1"), CultureInfo.InvariantCulture);
        int dimensions = int.Parse(Arg(args, "--dims", "768"), CultureInfo.InvariantCulture);
        int? concurrentBatches = Arg(args, "--max-concurrent-batches", "") is { Length: > 0 } b ? int.Parse(b, CultureInfo.InvariantCulture) : null;
        string token = Environment.GetEnvironmentVariable("EMBEDDINGS_TOKEN") ?? "bench-token";

        using var provider = new FixedCostProvider(TimeSpan.FromMilliseconds(perCallMs), TimeSpan.FromMilliseconds(perInputMs), dimensions);
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port));
        builder.Services.AddSingleton<IEmbeddingProvider>(provider);
        await using WebApplication app = builder.Build();

        switch (server)
        {
            case "embeddings":
                app.MapEmbeddings(o =>
                {
                    (o.AuthToken, o.WarmUp) = (token, false);
                    o.MaxConcurrentBatches = concurrentBatches ?? o.MaxConcurrentBatches;
                });
                break;
            case "bare":
                app.MapGet("/health/ready", () => "ok");
                app.MapPost("/predict", async (HttpContext context) =>
                {
                    if (context.Request.Headers.Authorization.ToString() != "Bearer " + token)
                    {
                        return Results.Unauthorized();
                    }

                    BareQuery? body = await context.Request.ReadFromJsonAsync<BareQuery>(context.RequestAborted);
                    IReadOnlyList<EmbeddingResult> results = await provider.EmbedAsync([EmbeddingInput.FromText(body!.Query)], null, context.RequestAborted);
                    return Results.Ok(results[0].Vector.ToArray());
                });
                break;
            default:
                Console.Error.WriteLine($"unknown --server '{server}' (embeddings or bare)");
                return 2;
        }

        app.MapGet("/bench/stats", () => Results.Text(
            JsonSerializer.Serialize(new Dictionary<string, long> { ["calls"] = provider.Calls, ["inputs"] = provider.Inputs }), "application/json"));

        await app.StartAsync();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"server={server} listening on http://127.0.0.1:{port}/ per-call={perCallMs} ms per-input={perInputMs} ms dims={dimensions} cores={Environment.ProcessorCount}"));
        await app.WaitForShutdownAsync();
        return 0;
    }

    private static string Arg(string[] args, string name, string fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
    }
}
