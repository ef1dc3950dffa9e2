using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Embeddings.Models;

/// <summary>
/// Two loopback Kestrel servers speaking the hub's resolve protocol: the "hub" answers
/// <c>HEAD/GET /{org}/{name}/resolve/{revision}/{path}</c> with X-Repo-Commit and ETag headers, serves regular files
/// itself and redirects LFS files (ETag = sha256, X-Linked-Etag, X-Linked-Size) to the "CDN", a second server on
/// another port (another origin) that serves ranges. Faults can be injected per file.
/// </summary>
internal sealed class FakeHub : IAsyncDisposable
{
    private readonly WebApplication _hub;
    private readonly WebApplication _cdn;

    private FakeHub(WebApplication hub, WebApplication cdn)
    {
        _hub = hub;
        _cdn = cdn;
    }

    public Uri Endpoint { get; private set; } = null!;

    public Uri CdnBase { get; private set; } = null!;

    public ConcurrentDictionary<string, FakeRepo> Repos { get; } = new(StringComparer.Ordinal);

    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    /// <summary>Repository paths whose next full download is cut after this many bytes (once each).</summary>
    public ConcurrentDictionary<string, int> DropAfterBytes { get; } = new(StringComparer.Ordinal);

    /// <summary>Repository paths served with one byte changed.</summary>
    public ConcurrentDictionary<string, bool> Corrupt { get; } = new(StringComparer.Ordinal);

    /// <summary>Repository paths whose LFS ETag is replaced by this value.</summary>
    public ConcurrentDictionary<string, string> EtagOverride { get; } = new(StringComparer.Ordinal);

    /// <summary>A delay before the CDN sends each body (to test cancellation and concurrent downloads).</summary>
    public TimeSpan CdnDelay { get; set; }

    public static async Task<FakeHub> StartAsync()
    {
        var hub = new FakeHub(CreateApp(), CreateApp());
        hub._hub.MapMethods("/{org}/{name}/resolve/{revision}/{**path}", ["GET", "HEAD"], hub.ResolveAsync);
        hub._cdn.MapMethods("/lfs/{org}/{name}/{**path}", ["GET", "HEAD"], hub.CdnAsync);
        await hub._hub.StartAsync();
        await hub._cdn.StartAsync();
        hub.Endpoint = new Uri(Address(hub._hub));
        hub.CdnBase = new Uri(Address(hub._cdn));
        return hub;
    }

    public static string Sha256(byte[] content) => Convert.ToHexStringLower(SHA256.HashData(content));

    public static string GitBlobSha1(byte[] content)
    {
#pragma warning disable CA5350 // git's object id
        return Convert.ToHexStringLower(SHA1.HashData([.. Encoding.ASCII.GetBytes($"blob {content.Length}\0"), .. content]));
#pragma warning restore CA5350
    }

    public static string EtagOf(string path, byte[] content) => FakeRepo.IsLfs(path) ? Sha256(content) : GitBlobSha1(content);

    /// <summary>The GET requests for paths ending so, on one server or on both.</summary>
    public IEnumerable<RecordedRequest> Gets(string pathEnd, string? server = null) =>
        Requests.Where(r => r.Method == "GET" && r.Path.EndsWith(pathEnd, StringComparison.Ordinal) && (server is null || r.Server == server));

    public async ValueTask DisposeAsync()
    {
        await _hub.DisposeAsync();
        await _cdn.DisposeAsync();
    }

    private static WebApplication CreateApp()
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        return builder.Build();
    }

    private static string Address(WebApplication app) =>
        app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

    private void Record(string server, HttpContext context) => Requests.Enqueue(new RecordedRequest(
        server, context.Request.Method, context.Request.Path.Value!,
        context.Request.Headers.Authorization.FirstOrDefault(), context.Request.Headers.Range.FirstOrDefault()));

    private async Task ResolveAsync(HttpContext context, string org, string name, string revision, string path)
    {
        Record("hub", context);
        HttpResponse response = context.Response;
        if (!Repos.TryGetValue($"{org}/{name}", out FakeRepo? repo))
        {
            response.StatusCode = 404;
            response.Headers["X-Error-Code"] = "RepoNotFound";
            return;
        }

        if (repo.RenamedTo is { } renamed)
        {
            response.StatusCode = 307;
            response.Headers.Location = $"/{renamed}/resolve/{revision}/{path}";
            return;
        }

        if (repo.RequiredToken is { } token && context.Request.Headers.Authorization != $"Bearer {token}")
        {
            response.StatusCode = 401;
            response.Headers["X-Error-Code"] = "GatedRepo";
            return;
        }

        if (revision != "main" && revision != repo.Commit)
        {
            response.StatusCode = 404;
            response.Headers["X-Error-Code"] = "RevisionNotFound";
            return;
        }

        response.Headers["X-Repo-Commit"] = repo.Commit;
        if (!repo.Files.TryGetValue(path, out byte[]? content))
        {
            response.StatusCode = 404;
            response.Headers["X-Error-Code"] = "EntryNotFound";
            return;
        }

        if (FakeRepo.IsLfs(path))
        {
            string etag = EtagOverride.TryGetValue(path, out string? evil) ? evil : Sha256(content);
            response.StatusCode = 302;
            response.Headers.ETag = "\"a-pointer-file-etag\"";
            response.Headers["X-Linked-Etag"] = $"\"{etag}\"";
            response.Headers["X-Linked-Size"] = content.Length.ToString(System.Globalization.CultureInfo.InvariantCulture);
            // Signed like a real CDN URL: the signature must never reach logs.
            response.Headers.Location = new Uri(CdnBase, $"lfs/{org}/{name}/{path}?X-Amz-Signature=cdn-signature-secret").ToString();
            return;
        }

        response.Headers.ETag = $"W/\"{GitBlobSha1(content)}\"";
        await ServeAsync(context, path, content);
    }

    private async Task CdnAsync(HttpContext context, string org, string name, string path)
    {
        Record("cdn", context);
        if (!Repos.TryGetValue($"{org}/{name}", out FakeRepo? repo) || !repo.Files.TryGetValue(path, out byte[]? content))
        {
            context.Response.StatusCode = 404;
            return;
        }

        if (CdnDelay > TimeSpan.Zero)
        {
            await Task.Delay(CdnDelay, context.RequestAborted);
        }

        await ServeAsync(context, path, content);
    }

    private async Task ServeAsync(HttpContext context, string path, byte[] content)
    {
        if (Corrupt.ContainsKey(path))
        {
            content = [.. content];
            content[content.Length / 2] ^= 0x55;
        }

        long start = 0;
        string? range = context.Request.Headers.Range.FirstOrDefault();
        if (range is not null && range.StartsWith("bytes=", StringComparison.Ordinal) && range.EndsWith('-'))
        {
            start = long.Parse(range["bytes=".Length..^1], System.Globalization.CultureInfo.InvariantCulture);
            if (start >= content.Length)
            {
                context.Response.StatusCode = 416;
                context.Response.Headers.ContentRange = $"bytes */{content.Length}";
                return;
            }

            context.Response.StatusCode = 206;
            context.Response.Headers.ContentRange = $"bytes {start}-{content.Length - 1}/{content.Length}";
        }

        context.Response.ContentLength = content.Length - start;
        if (HttpMethods.IsHead(context.Request.Method))
        {
            return;
        }

        if (start == 0 && DropAfterBytes.TryRemove(path, out int cut))
        {
            await context.Response.Body.WriteAsync(content.AsMemory(0, cut));
            await context.Response.Body.FlushAsync();
            context.Abort();
            return;
        }

        await context.Response.Body.WriteAsync(content.AsMemory((int)start));
    }
}
