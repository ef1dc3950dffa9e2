using System.Buffers;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace Embeddings.Remote;

/// <summary>One HTTP attempt and the resilience pipeline around it.</summary>
public sealed partial class HuggingFaceProvider
{
    private const int MaxErrorBodyBytes = 8 * 1024;
    private const int MaxErrorDetailChars = 300;

    private static readonly MediaTypeHeaderValue s_jsonContentType = new("application/json") { CharSet = "utf-8" };
    private static readonly MediaTypeWithQualityHeaderValue s_acceptJson = new("application/json");

    private (ResiliencePipeline<AttemptResult> Pipeline, CircuitBreakerStateProvider? Circuit) BuildPipeline()
    {
        var builder = new ResiliencePipelineBuilder<AttemptResult> { TimeProvider = _timeProvider };

        if (_options.TotalTimeout is { } total)
        {
            builder.AddTimeout(new TimeoutStrategyOptions { Timeout = total });
        }

        if (_options.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<AttemptResult>
            {
                MaxRetryAttempts = _options.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = _options.RetryDelay,
                MaxDelay = _options.MaxRetryDelay,

                // Only classified failures are retried: cancellation and an open circuit are exceptions, never retried.
                ShouldHandle = static args => ValueTask.FromResult(args.Outcome.Result is { IsRetryable: true }),
                DelayGenerator = args => ValueTask.FromResult(args.Outcome.Result?.RetryAfter is { } wait
                    ? (TimeSpan?)(wait < _options.MaxRetryDelay ? wait : _options.MaxRetryDelay)
                    : null),
                OnRetry = args =>
                {
                    AttemptResult? failed = args.Outcome.Result;
                    long delayMs = (long)args.RetryDelay.TotalMilliseconds;
                    string reason = failed?.Reason ?? "unknown";
                    if (failed?.FailureKind == RemoteFailureKind.RateLimited)
                    {
                        _logger.RateLimitedRetrying(_endpoints.DisplayName, delayMs, args.AttemptNumber + 1, _options.MaxRetries, reason);
                    }
                    else
                    {
                        _logger.Retrying(_endpoints.DisplayName, delayMs, args.AttemptNumber + 1, _options.MaxRetries, reason);
                    }

                    return default;
                },
            });
        }

        CircuitBreakerStateProvider? circuit = null;
        RemoteCircuitBreakerOptions breaker = _options.CircuitBreaker;
        if (breaker.Enabled)
        {
            circuit = new CircuitBreakerStateProvider();
            builder.AddCircuitBreaker(new CircuitBreakerStrategyOptions<AttemptResult>
            {
                FailureRatio = breaker.FailureRatio,
                MinimumThroughput = breaker.MinimumThroughput,
                SamplingDuration = breaker.SamplingDuration,
                BreakDuration = breaker.BreakDuration,
                StateProvider = circuit,

                // Service failures only: a 4xx is the request's fault and a cancelled call proves nothing.
                ShouldHandle = static args => ValueTask.FromResult(args.Outcome.Result is { IsServiceFailure: true }),
                OnOpened = args =>
                {
                    Volatile.Write(ref _circuitBlockedUntilUtcTicks, (_timeProvider.GetUtcNow() + args.BreakDuration).UtcTicks);
                    _logger.CircuitOpened(_endpoints.DisplayName, (long)args.BreakDuration.TotalMilliseconds, args.Outcome.Result?.Reason ?? "unknown");
                    return default;
                },
                OnHalfOpened = _ =>
                {
                    _logger.CircuitHalfOpened(_endpoints.DisplayName);
                    return default;
                },
                OnClosed = _ =>
                {
                    _logger.CircuitClosed(_endpoints.DisplayName);
                    return default;
                },
            });
        }

        return (builder.Build(), circuit);
    }

    private async ValueTask<AttemptResult> AttemptAsync(AttemptState state, CancellationToken cancellationToken)
    {
        // The slot is taken per attempt, not per batch: a batch waiting out a retry delay holds no slot, and the
        // attempt timeout starts only once the request can actually be sent.
        await _requestSlots.WaitAsync(cancellationToken).ConfigureAwait(false);
        AttemptResult result;
        try
        {
            state.CountAttempt();
            result = await SendAsync(state, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _requestSlots.Release();
        }

        TagList tags = _baseTags;
        if (result.StatusCode is { } status)
        {
            tags.Add(RemoteTelemetry.StatusCodeTag, status);
        }

        if (result.FailureKind is { } kind)
        {
            tags.Add(RemoteTelemetry.ErrorTypeTag, kind.ToString());
        }

        RemoteTelemetry.Attempts.Add(1, tags);
        return result;
    }

    private async ValueTask<AttemptResult> SendAsync(AttemptState state, CancellationToken cancellationToken)
    {
        using CancellationTokenSource attemptCts = CreateAttemptTokenSource(cancellationToken, out CancellationTokenSource? timerCts);
        using (timerCts)
        {
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, state.Uri)
                {
                    Content = new ReadOnlyMemoryContent(state.Body),
                };
                request.Content.Headers.ContentType = s_jsonContentType;
                request.Headers.Accept.Add(s_acceptJson);
                if (_authorization is not null)
                {
                    request.Headers.TryAddWithoutValidation("Authorization", _authorization);
                }

                using HttpResponseMessage response = await _httpClient
                    .SendAsync(request, HttpCompletionOption.ResponseHeadersRead, attemptCts.Token)
                    .ConfigureAwait(false);
                int status = (int)response.StatusCode;
                if (!response.IsSuccessStatusCode)
                {
                    return await ClassifyErrorAsync(response, status, state, attemptCts.Token).ConfigureAwait(false);
                }

                (byte[]? buffer, int length, string? tooLarge) = await ReadBodyAsync(response.Content, _options.MaxResponseBytes, attemptCts.Token).ConfigureAwait(false);
                if (buffer is null)
                {
                    return AttemptResult.Failure(RemoteFailureKind.MalformedResponse, tooLarge!, status);
                }

                try
                {
                    ParsedEmbeddings parsed = EmbeddingResponseReader.Read(buffer.AsSpan(0, length));
                    string? problem = Check(parsed.Vectors, state);
                    return problem is null
                        ? AttemptResult.Success(parsed.Vectors, parsed.PromptTokens, parsed.WasTokenLevel, status)
                        : AttemptResult.Failure(RemoteFailureKind.MalformedResponse, problem, status);
                }
                catch (RemoteResponseException ex)
                {
                    return AttemptResult.Failure(RemoteFailureKind.MalformedResponse, ex.Message, status, ex);
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
            }
            catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
            {
                // Our attempt timer, or the HttpClient's own timeout: either way the service was too slow.
                return AttemptResult.Failure(
                    RemoteFailureKind.Timeout,
                    $"no complete answer within {_options.Timeout.TotalSeconds:0.###} s",
                    exception: ex);
            }
            catch (HttpRequestException ex)
            {
                return AttemptResult.Failure(RemoteFailureKind.Transport, DescribeTransport(ex), (int?)ex.StatusCode, ex);
            }
            catch (IOException ex)
            {
                return AttemptResult.Failure(RemoteFailureKind.Transport, "the connection was lost while reading the response", exception: ex);
            }
        }
    }

    private CancellationTokenSource CreateAttemptTokenSource(CancellationToken cancellationToken, out CancellationTokenSource? timerCts)
    {
        if (_timeProvider == TimeProvider.System)
        {
            timerCts = null;
            CancellationTokenSource linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            linked.CancelAfter(_options.Timeout);
            return linked;
        }

        timerCts = new CancellationTokenSource(_options.Timeout, _timeProvider);
        return CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timerCts.Token);
    }

    private string? Check(float[][] vectors, AttemptState state)
    {
        if (vectors.Length != state.ExpectedCount)
        {
            return $"it returned {vectors.Length} vector(s) for {state.ExpectedCount} input(s)";
        }

        int dimension = vectors[0].Length;
        foreach (float[] v in vectors)
        {
            if (v.Length != dimension)
            {
                return $"its vectors differ in dimension ({dimension} and {v.Length})";
            }
        }

        int known = KnownDimensions;
        int? requested = state.Settings.Dimensions;
        if (known > 0)
        {
            // A service that honours a Matryoshka request returns the requested size; otherwise the full size.
            if (dimension != known && dimension != requested)
            {
                return $"its vectors have {dimension} dimensions, but {known} are expected"
                    + (_options.ExpectedDimensions is null ? " (learned from an earlier response)" : string.Empty);
            }
        }
        else if (requested is { } r)
        {
            if (dimension < r)
            {
                return $"its vectors have {dimension} dimensions, fewer than the {r} requested";
            }
        }
        else if (Interlocked.CompareExchange(ref _learnedDimensions, dimension, 0) == 0)
        {
            Volatile.Write(ref _metadata, CreateMetadata(dimension));
        }
        else if (Volatile.Read(ref _learnedDimensions) != dimension)
        {
            return $"its vectors have {dimension} dimensions, but {Volatile.Read(ref _learnedDimensions)} are expected (learned from an earlier response)";
        }

        return null;
    }

    private async Task<AttemptResult> ClassifyErrorAsync(HttpResponseMessage response, int status, AttemptState state, CancellationToken cancellationToken)
    {
        string? detail = null;
        try
        {
            (byte[]? buffer, int length, _) = await ReadBodyAsync(response.Content, MaxErrorBodyBytes, cancellationToken, truncate: true).ConfigureAwait(false);
            if (buffer is not null)
            {
                try
                {
                    detail = Redact(EmbeddingResponseReader.ReadErrorMessage(buffer.AsSpan(0, length)), state);
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            // The status is what matters; a body we cannot read adds nothing.
        }

        string reason = response.ReasonPhrase is { Length: > 0 } phrase && phrase.Length <= 64 && !phrase.Contains(_options.ApiKey ?? "\0", StringComparison.Ordinal)
            ? phrase
            : ((HttpStatusCode)status).ToString();
        detail = detail is null ? reason : $"{reason}: {detail}";
        TimeSpan? retryAfter = RetryAfterReader.Read(response.Headers, _timeProvider.GetUtcNow());
        RemoteFailureKind kind = status switch
        {
            401 or 403 => RemoteFailureKind.Unauthorized,
            429 => RemoteFailureKind.RateLimited,
            _ => RemoteFailureKind.HttpStatus,
        };
        return AttemptResult.Failure(kind, detail, status, retryAfter: retryAfter);
    }

    /// <summary>Reads a body into a pooled buffer (the caller returns it), or reports that it is too large.</summary>
    private static async Task<(byte[]? Buffer, int Length, string? TooLarge)> ReadBodyAsync(
        HttpContent content, long maxBytes, CancellationToken cancellationToken, bool truncate = false)
    {
        long? declared = content.Headers.ContentLength;
        if (declared > maxBytes && !truncate)
        {
            return (null, 0, $"its body of {declared} bytes exceeds the {maxBytes}-byte limit");
        }

        Stream stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            int capacity = (int)Math.Min(declared is > 0 ? declared.Value + 1 : 16 * 1024, Math.Min(maxBytes + 1, Array.MaxLength));
            byte[] buffer = ArrayPool<byte>.Shared.Rent(capacity);
            int length = 0;
            try
            {
                while (true)
                {
                    if (length == buffer.Length)
                    {
                        if (length > maxBytes)
                        {
                            break;
                        }

                        byte[] larger = ArrayPool<byte>.Shared.Rent((int)Math.Min(buffer.Length * 2L, Array.MaxLength));
                        buffer.AsSpan(0, length).CopyTo(larger);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = larger;
                    }

                    int read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
                    if (read == 0)
                    {
                        break;
                    }

                    length += read;
                    if (length > maxBytes)
                    {
                        break;
                    }
                }

                if (length > maxBytes)
                {
                    if (truncate)
                    {
                        return (buffer, (int)maxBytes, null);
                    }

                    ArrayPool<byte>.Shared.Return(buffer);
                    return (null, 0, $"its body exceeds the {maxBytes}-byte limit");
                }

                return (buffer, length, null);
            }
            catch
            {
                ArrayPool<byte>.Shared.Return(buffer);
                throw;
            }
        }
    }

    private static string DescribeTransport(HttpRequestException ex)
    {
        // HttpRequestError names the failure without any URL or header; the socket error adds the low-level reason.
        string what = ex.HttpRequestError switch
        {
            HttpRequestError.ConnectionError => "the connection failed",
            HttpRequestError.NameResolutionError => "the host name could not be resolved",
            HttpRequestError.SecureConnectionError => "the TLS handshake failed",
            HttpRequestError.ResponseEnded => "the connection closed before the response was complete",
            HttpRequestError.InvalidResponse => "the response was not valid HTTP",
            HttpRequestError.ProxyTunnelError => "the proxy tunnel failed",
            _ => "the request failed",
        };

        for (Exception? inner = ex.InnerException; inner is not null; inner = inner.InnerException)
        {
            if (inner is System.Net.Sockets.SocketException socket)
            {
                return $"{what} ({socket.SocketErrorCode})";
            }
        }

        return what;
    }

    private string? Redact(string? message, AttemptState state)
    {
        if (string.IsNullOrWhiteSpace(message))
        {
            return null;
        }

        // Servers sometimes echo what they received: never let a credential or an input's text through.
        if (!string.IsNullOrEmpty(_options.ApiKey))
        {
            message = message.Replace(_options.ApiKey, "[redacted]", StringComparison.Ordinal);
        }

        if (state.Texts is { } texts)
        {
            foreach (string text in texts)
            {
                if (text.Length >= 4)
                {
                    message = message.Replace(text, "[input]", StringComparison.Ordinal);
                }
            }
        }

        var clean = new System.Text.StringBuilder(Math.Min(message.Length, MaxErrorDetailChars + 1));
        foreach (char c in message)
        {
            if (clean.Length == MaxErrorDetailChars)
            {
                clean.Append('…');
                break;
            }

            clean.Append(char.IsControl(c) ? ' ' : c);
        }

        return clean.ToString().Trim();
    }
}
