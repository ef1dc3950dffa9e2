using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Logging;

namespace Embeddings.Models;

/// <summary>
/// Speaks the hub's resolve protocol: <c>HEAD</c>/<c>GET {endpoint}/{repo}/resolve/{revision}/{path}</c>, redirects
/// followed by hand (so the hub's own headers are read before a CDN answers, and the token never leaves the
/// endpoint's origin), resumable downloads with HTTP ranges.
/// </summary>
/// <remarks>The <see cref="HttpClient"/> must not follow redirects itself (<c>AllowAutoRedirect = false</c>).</remarks>
internal sealed class HubClient
{
    private const int MaxRedirects = 10;

    private readonly HttpClient _http;
    private readonly Uri _endpoint;
    private readonly string? _token;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;

    public HubClient(HttpClient http, Uri endpoint, string? token, TimeProvider timeProvider, ILogger logger)
    {
        _http = http;
        _endpoint = endpoint;
        _token = token;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    /// <summary>Gets how long a download may receive nothing before it counts as interrupted.</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Gets the delay before the first retry; later retries wait longer.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Gets how many attempts in a row may fail without progress before giving up.</summary>
    public int MaxAttempts { get; init; } = 4;

    /// <summary>Builds the resolve URL of a file.</summary>
    public Uri ResolveUri(string repoId, string revision, string path) =>
        new($"{_endpoint.AbsoluteUri.TrimEnd('/')}/{repoId}/resolve/{Uri.EscapeDataString(revision)}/{string.Join('/', path.Split('/').Select(Uri.EscapeDataString))}");

    /// <summary>Asks the hub about a file without downloading it.</summary>
    /// <exception cref="EmbeddingModelException">Access was refused, the repository or revision does not exist, or the hub kept failing.</exception>
    /// <exception cref="HubUnreachableException">No connection could be made.</exception>
    public async Task<HubFileProbe> ProbeAsync(string repoId, string revision, string path, CancellationToken cancellationToken)
    {
        Uri uri = ResolveUri(repoId, revision, path);
        for (int attempt = 1; ; attempt++)
        {
            using HttpResponseMessage response = await SendAsync(HttpMethod.Head, uri, 0, followCrossOrigin: false, cancellationToken).ConfigureAwait(false);
            string? commit = Header(response, "X-Repo-Commit");
            if (commit is not null && !HubPaths.IsCommit(commit))
            {
                throw new EmbeddingModelException(repoId, $"The hub sent an invalid commit id for '{path}' of '{repoId}'.");
            }

            commit ??= HubPaths.IsCommit(revision) ? revision : null;
            if (response.IsSuccessStatusCode || IsRedirect(response.StatusCode))
            {
                string etag = NormalizeEtag(Header(response, "X-Linked-Etag") ?? Header(response, "ETag"))
                    ?? throw new EmbeddingModelException(repoId, $"The hub sent no ETag for '{path}' of '{repoId}'.");
                if (!HubPaths.IsSafeEtag(etag))
                {
                    throw new EmbeddingModelException(repoId, $"The hub sent an ETag for '{path}' of '{repoId}' that cannot name a cache file.");
                }

                if (commit is null)
                {
                    throw new EmbeddingModelException(repoId, $"The hub did not say which commit '{revision}' of '{repoId}' is (no X-Repo-Commit header).");
                }

                long? size = long.TryParse(Header(response, "X-Linked-Size"), out long linked) ? linked
                    : response.IsSuccessStatusCode ? response.Content.Headers.ContentLength : null;
                return new HubFileProbe(true, commit, etag, size);
            }

            if (response.StatusCode == HttpStatusCode.NotFound && Header(response, "X-Error-Code") is not ("RepoNotFound" or "RevisionNotFound"))
            {
                return new HubFileProbe(false, commit, null, null);
            }

            if (IsTransient(response.StatusCode) && attempt < MaxAttempts)
            {
                ModelsLog.RetryingStatus(_logger, repoId, path, (int)response.StatusCode);
                await Task.Delay(RetryDelay * attempt, _timeProvider, cancellationToken).ConfigureAwait(false);
                continue;
            }

            throw StatusError(response, repoId, revision, path);
        }
    }

    /// <summary>
    /// Downloads a file into <paramref name="incompletePath"/>, resuming from what that file already holds, and retrying
    /// interrupted transfers from where they stopped.
    /// </summary>
    /// <exception cref="EmbeddingModelException">The hub refused, or the transfer kept failing without progress.</exception>
    public async Task DownloadAsync(string repoId, string commit, string path, long? size, string incompletePath, CancellationToken cancellationToken)
    {
        Uri uri = ResolveUri(repoId, commit, path);
        int failures = 0;
        while (true)
        {
            long offset = File.Exists(incompletePath) ? new FileInfo(incompletePath).Length : 0;
            if (offset > 0 && offset == size)
            {
                return;
            }

            if (offset > size)
            {
                File.Delete(incompletePath);
                offset = 0;
            }

            try
            {
                await DownloadOnceAsync(repoId, commit, path, uri, offset, incompletePath, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (Exception ex) when (IsInterruption(ex) && !cancellationToken.IsCancellationRequested)
            {
                long reached = File.Exists(incompletePath) ? new FileInfo(incompletePath).Length : 0;
                failures = reached > offset ? 1 : failures + 1;
                if (failures >= MaxAttempts)
                {
                    throw new EmbeddingModelException(repoId,
                        $"Downloading '{path}' of '{repoId}' failed {failures} times in a row without progress; the {reached} bytes received are kept and the next attempt resumes from there.", ex);
                }

                ModelsLog.Interrupted(_logger, repoId, path, reached, ex);
                await Task.Delay(RetryDelay * failures, _timeProvider, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task DownloadOnceAsync(string repoId, string commit, string path, Uri uri, long offset, string incompletePath, CancellationToken cancellationToken)
    {
        using HttpResponseMessage response = await SendAsync(HttpMethod.Get, uri, offset, followCrossOrigin: true, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable)
        {
            // What is on disk does not fit the file any more: start over.
            File.Delete(incompletePath);
            throw new IOException("The server did not accept the resume range.");
        }

        if (IsTransient(response.StatusCode))
        {
            throw new IOException($"The server answered {(int)response.StatusCode}.");
        }

        if (!response.IsSuccessStatusCode)
        {
            throw StatusError(response, repoId, commit, path);
        }

        bool append = offset > 0 && response.StatusCode == HttpStatusCode.PartialContent;
        if (append && response.Content.Headers.ContentRange?.From != offset)
        {
            File.Delete(incompletePath);
            throw new IOException("The server answered a range other than the one asked for.");
        }

        if (append)
        {
            ModelsLog.Resuming(_logger, repoId, path, offset);
        }

        await using Stream body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using var file = new FileStream(incompletePath, append ? FileMode.Append : FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous);
        byte[] buffer = new byte[1 << 16];
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        while (true)
        {
            idle.CancelAfter(IdleTimeout);
            int read;
            try
            {
                read = await body.ReadAsync(buffer, idle.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"Nothing was received for {IdleTimeout.TotalSeconds:0} s.", ex);
            }

            if (read == 0)
            {
                break;
            }

            await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, Uri uri, long rangeFrom, bool followCrossOrigin, CancellationToken cancellationToken)
    {
        for (int hop = 0; ; hop++)
        {
            using var request = new HttpRequestMessage(method, uri);
            if (_token is not null && SameOrigin(uri, _endpoint))
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _token);
            }

            if (rangeFrom > 0)
            {
                request.Headers.Range = new RangeHeaderValue(rangeFrom, null);
            }

            // Sizes, ranges and hashes refer to the stored bytes, not to a compressed transfer.
            request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("identity"));

            HttpResponseMessage response;
            using var headersTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            headersTimeout.CancelAfter(IdleTimeout);
            try
            {
                response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, headersTimeout.Token).ConfigureAwait(false);
            }
            catch (HttpRequestException ex)
            {
                throw new HubUnreachableException($"The hub at {_endpoint.GetLeftPart(UriPartial.Authority)} could not be reached: {ex.Message}", ex);
            }
            catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
            {
                throw new HubUnreachableException($"The hub at {_endpoint.GetLeftPart(UriPartial.Authority)} did not answer in time.", ex);
            }

            if (!IsRedirect(response.StatusCode) || response.Headers.Location is not { } location)
            {
                return response;
            }

            Uri next = location.IsAbsoluteUri ? location : new Uri(uri, location);
            if (!followCrossOrigin && !SameOrigin(next, uri))
            {
                // The hub's redirect to its CDN carries the file's metadata; stop here to read it.
                return response;
            }

            response.Dispose();
            if (uri.Scheme == Uri.UriSchemeHttps && next.Scheme != Uri.UriSchemeHttps)
            {
                throw new EmbeddingModelException(_endpoint.ToString(), "The hub redirected a download from https to an insecure URL; refused.");
            }

            if (hop >= MaxRedirects)
            {
                throw new EmbeddingModelException(_endpoint.ToString(), $"The hub redirected more than {MaxRedirects} times.");
            }

            uri = next;
        }
    }

    private EmbeddingModelException StatusError(HttpResponseMessage response, string repoId, string revision, string path)
    {
        int status = (int)response.StatusCode;
        string? code = Header(response, "X-Error-Code");
        string tokenState = _token is null
            ? "no token was given (set HF_TOKEN or ModelSourceOptions.Token)"
            : "the token given was refused";
        string message = (response.StatusCode, code) switch
        {
            (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden, "GatedRepo") =>
                $"'{repoId}' is a gated repository: accept its conditions on the hub with your account and use a token of that account; {tokenState}.",
            (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden, _) =>
                $"The hub refused access to '{repoId}' ({status}): it does not exist, or it is private and {tokenState}.",
            (_, "RepoNotFound") => $"'{repoId}' was not found on the hub ({status}).",
            (_, "RevisionNotFound") => $"Revision '{revision}' of '{repoId}' was not found on the hub ({status}).",
            (HttpStatusCode.NotFound, _) => $"'{path}' of '{repoId}' at revision '{revision}' was not found on the hub.",
            _ => $"The hub answered {status} for '{path}' of '{repoId}' at revision '{revision}'.",
        };
        return new EmbeddingModelException(repoId, message);
    }

    private static bool IsInterruption(Exception ex) =>
        ex is IOException or HttpRequestException or HubUnreachableException or TimeoutException;

    private static bool IsTransient(HttpStatusCode status) =>
        (int)status >= 500 || status is HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout;

    private static bool IsRedirect(HttpStatusCode status) => (int)status is 301 or 302 or 303 or 307 or 308;

    private static bool SameOrigin(Uri a, Uri b) =>
        string.Equals(a.Scheme, b.Scheme, StringComparison.OrdinalIgnoreCase)
        && string.Equals(a.IdnHost, b.IdnHost, StringComparison.OrdinalIgnoreCase)
        && a.Port == b.Port;

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out IEnumerable<string>? values) ? values.FirstOrDefault()
        : response.Content.Headers.TryGetValues(name, out values) ? values.FirstOrDefault()
        : null;

    /// <summary>Strips the weak marker and quotes: <c>W/"abc"</c> becomes <c>abc</c>.</summary>
    internal static string? NormalizeEtag(string? etag)
    {
        if (etag is null)
        {
            return null;
        }

        string value = etag.Trim();
        if (value.StartsWith("W/", StringComparison.Ordinal))
        {
            value = value[2..];
        }

        value = value.Trim('"');
        return value.Length == 0 ? null : value;
    }
}
