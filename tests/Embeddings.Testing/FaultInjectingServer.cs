using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Embeddings.Remote.Wire;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Embeddings.TestSupport;

/// <summary>
/// A real HTTP server on 127.0.0.1 (Kestrel, in the test process) that speaks every remote protocol with a
/// deterministic fake model (<see cref="FakeEmbedding"/>) and injects faults on command.
/// </summary>
/// <remarks>
/// <para>Routes: <c>/hf-inference/models/{model}/pipeline/feature-extraction</c> (router), <c>/embed</c> (TEI),
/// <c>/v1/embeddings</c> (OpenAI-style; items answered in reverse order, with their <c>index</c>), <c>/predict</c>
/// and <c>/embed_image</c> (this project's server), and <c>/</c> (an Inference Endpoint custom handler, answering
/// <c>{"embeddings": [...]}</c>). Requests are parsed with the shared wire shapes.</para>
/// <para>Faults: <see cref="Fault"/> applies to every request; <see cref="EnqueueFaults"/> queues one-shot faults that
/// the next requests consume first. Counters are per route.</para>
/// </remarks>
internal sealed class FaultInjectingServer : IAsyncDisposable
{
    public const string FeatureExtractionRoute = "feature-extraction";
    public const string TeiRoute = "embed";
    public const string OpenAIRoute = "openai";
    public const string PredictRoute = "predict";
    public const string ImageRoute = "embed_image";
    public const string EndpointRoute = "endpoint";

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ServerFault> _queuedFaults = new();
    private readonly ConcurrentDictionary<string, int> _counts = new();
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private readonly ConcurrentDictionary<string, byte[]>? _responseCache;
    private ServerFault _fault = ServerFault.None;
    private int _inFlight;
    private int _maxInFlight;
    private int _total;

    private FaultInjectingServer(WebApplication app, int dimensions, string? requiredApiKey, bool cacheResponses)
    {
        _app = app;
        Dimensions = dimensions;
        RequiredApiKey = requiredApiKey;
        _responseCache = cacheResponses ? new ConcurrentDictionary<string, byte[]>() : null;
    }

    /// <summary>Gets the base URL, for example <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>Gets the dimension of the fake model's vectors.</summary>
    public int Dimensions { get; }

    /// <summary>Gets the bearer token every request must carry, if any (otherwise 401).</summary>
    public string? RequiredApiKey { get; }

    /// <summary>Gets or sets the fault applied to every request (after queued ones are used up).</summary>
    public ServerFault Fault
    {
        get => Volatile.Read(ref _fault);
        set => Volatile.Write(ref _fault, value ?? ServerFault.None);
    }

    /// <summary>Gets or sets how the router route answers: pooled, token-level or (for one input) flat.</summary>
    public FeatureExtractionShape FeatureExtractionShape { get; set; } = FeatureExtractionShape.Pooled;

    /// <summary>Gets or sets a delay before every answer (simulated inference time).</summary>
    public TimeSpan ResponseDelay { get; set; }

    /// <summary>Gets how many requests arrived, on every route.</summary>
    public int TotalRequests => Volatile.Read(ref _total);

    /// <summary>Gets the most requests that were being handled at once.</summary>
    public int MaxConcurrency => Volatile.Read(ref _maxInFlight);

    /// <summary>Gets every request received, in arrival order.</summary>
    public IReadOnlyList<RecordedRequest> Requests => [.. _requests];

    /// <summary>Starts a server on an ephemeral loopback port.</summary>
    /// <param name="dimensions">The fake model's dimension.</param>
    /// <param name="requiredApiKey">A bearer token every request must carry, or <see langword="null"/>.</param>
    /// <param name="cacheResponses">Answer repeated identical requests from a cache (benchmarks: keeps the server's
    /// cost out of the client's measurements).</param>
    /// <returns>The running server.</returns>
    public static async Task<FaultInjectingServer> StartAsync(int dimensions = 8, string? requiredApiKey = null, bool cacheResponses = false)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, 0);
            k.Limits.MaxRequestBodySize = 256 * 1024 * 1024;
        });
        WebApplication app = builder.Build();
        var server = new FaultInjectingServer(app, dimensions, requiredApiKey, cacheResponses);
        app.MapPost("/hf-inference/models/{**model}", ctx => server.HandleAsync(ctx, FeatureExtractionRoute));
        app.MapPost("/embed", ctx => server.HandleAsync(ctx, TeiRoute));
        app.MapPost("/v1/embeddings", ctx => server.HandleAsync(ctx, OpenAIRoute));
        app.MapPost("/predict", ctx => server.HandleAsync(ctx, PredictRoute));
        app.MapPost("/embed_image", ctx => server.HandleAsync(ctx, ImageRoute));
        app.MapPost("/", ctx => server.HandleAsync(ctx, EndpointRoute));
        await app.StartAsync();
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseUrl = new Uri(address.EndsWith('/') ? address : address + "/");
        return server;
    }

    /// <summary>Queues faults that the next requests (on any route) consume, one each, before <see cref="Fault"/>.</summary>
    public void EnqueueFaults(params ServerFault[] faults)
    {
        foreach (ServerFault fault in faults)
        {
            _queuedFaults.Enqueue(fault);
        }
    }

    /// <summary>Gets how many requests arrived on a route (one of the <c>*Route</c> constants).</summary>
    public int RequestCount(string route) => _counts.TryGetValue(route, out int n) ? n : 0;

    /// <summary>Clears the counters, the request log and the queued faults.</summary>
    public void ResetCounters()
    {
        _counts.Clear();
        _requests.Clear();
        _queuedFaults.Clear();
        Volatile.Write(ref _total, 0);
        Volatile.Write(ref _maxInFlight, 0);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context, string route)
    {
        int inFlight = Interlocked.Increment(ref _inFlight);
        for (int max = Volatile.Read(ref _maxInFlight); inFlight > max; max = Volatile.Read(ref _maxInFlight))
        {
            if (Interlocked.CompareExchange(ref _maxInFlight, inFlight, max) == max)
            {
                break;
            }
        }

        Interlocked.Increment(ref _total);
        _counts.AddOrUpdate(route, 1, (_, n) => n + 1);
        try
        {
            await HandleCoreAsync(context, route);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client gave up (a timeout test): nothing to answer.
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    private async Task HandleCoreAsync(HttpContext context, string route)
    {
        var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
        byte[] body = buffer.ToArray();
        string? authorization = context.Request.Headers.Authorization.FirstOrDefault();
        ServerFault fault = _queuedFaults.TryDequeue(out ServerFault? queued) ? queued : Fault;

        if (RequiredApiKey is not null && authorization != "Bearer " + RequiredApiKey)
        {
            _requests.Enqueue(new RecordedRequest(route, 0, authorization, null, null, null));
            await WriteAsync(context, 401, """{"error":"Invalid credentials in Authorization header"}""");
            return;
        }

        FakeResponse response;
        try
        {
            response = Parse(route, body);
        }
        catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException)
        {
            _requests.Enqueue(new RecordedRequest(route, 0, authorization, null, null, null));
            await WriteAsync(context, 400, """{"error":"invalid request body","error_type":"Validation"}""");
            return;
        }

        _requests.Enqueue(response.Request with { Authorization = authorization });

        if (ResponseDelay > TimeSpan.Zero)
        {
            await Task.Delay(ResponseDelay, context.RequestAborted);
        }

        switch (fault.Kind)
        {
            case ServerFaultKind.Status:
                foreach ((string name, string value) in fault.Headers)
                {
                    context.Response.Headers[name] = value;
                }

                await WriteAsync(context, fault.StatusCode, fault.Body ?? string.Empty);
                return;
            case ServerFaultKind.Delay:
                await Task.Delay(fault.Delay, context.RequestAborted);
                break;
            case ServerFaultKind.DropConnection:
                context.Abort();
                return;
            case ServerFaultKind.Html:
                context.Response.ContentType = "text/html";
                await context.Response.WriteAsync("<html><body><h1>502 Bad Gateway</h1></body></html>", context.RequestAborted);
                return;
            case ServerFaultKind.WrongDimensions:
                response.Vectors.ForEach(v => v.Add(0.5f));
                break;
            case ServerFaultKind.WrongCount when response.Vectors.Count > 0:
                response.Vectors.RemoveAt(response.Vectors.Count - 1);
                break;
            case ServerFaultKind.NaN:
                response.Vectors[0][0] = float.NaN;
                break;
            case ServerFaultKind.Overflow:
                response.Vectors[0][0] = float.PositiveInfinity;
                break;
        }

        string cacheKey = route + "|" + Encoding.UTF8.GetString(body);
        if (fault.Kind == ServerFaultKind.None && _responseCache is not null && _responseCache.TryGetValue(cacheKey, out byte[]? cached))
        {
            await WriteAsync(context, 200, cached);
            return;
        }

        string json = response.Write(response.Vectors);
        if (fault.Kind == ServerFaultKind.MalformedJson)
        {
            json = json[..(json.Length / 2)];
        }

        byte[] bytes = Encoding.UTF8.GetBytes(json);
        if (fault.Kind == ServerFaultKind.None)
        {
            _responseCache?.TryAdd(cacheKey, bytes);
        }

        await WriteAsync(context, 200, bytes);
    }

    private FakeResponse Parse(string route, byte[] body)
    {
        switch (route)
        {
            case FeatureExtractionRoute:
            {
                EmbedRequest request = JsonSerializer.Deserialize(body, RemoteJsonContext.Default.EmbedRequest)!;
                List<List<float>> vectors = Texts(request.Inputs.Values, request.PromptName, null);
                FeatureExtractionShape shape = FeatureExtractionShape;
                bool flat = request.Inputs.IsSingle || (shape == FeatureExtractionShape.Flat && vectors.Count == 1);
                return new FakeResponse(
                    new RecordedRequest(route, vectors.Count, null, request.PromptName, null, request.Normalize),
                    vectors,
                    v => shape == FeatureExtractionShape.TokenLevel ? TokenLevel(v) : flat ? Vector(v[0]) : Matrix(v));
            }

            case TeiRoute:
            {
                EmbedRequest request = JsonSerializer.Deserialize(body, RemoteJsonContext.Default.EmbedRequest)!;
                List<List<float>> vectors = Texts(request.Inputs.Values, request.PromptName, request.Dimensions);
                return new FakeResponse(new RecordedRequest(route, vectors.Count, null, request.PromptName, request.Dimensions, request.Normalize), vectors, Matrix);
            }

            case PredictRoute:
            {
                PredictRequest request = JsonSerializer.Deserialize(body, RemoteJsonContext.Default.PredictRequest)!;
                List<List<float>> vectors = Texts(request.Query.Values, request.PromptName, request.Dimensions);
                bool single = request.Query.IsSingle;
                return new FakeResponse(
                    new RecordedRequest(route, vectors.Count, null, request.PromptName, request.Dimensions, request.Normalize),
                    vectors,
                    v => single ? Vector(v[0]) : Matrix(v));
            }

            case ImageRoute:
            {
                ImageEmbedRequest request = JsonSerializer.Deserialize(body, RemoteJsonContext.Default.ImageEmbedRequest)!;
                List<List<float>> vectors = [.. request.Inputs.Select(i => Truncate(FakeEmbedding.ForImage(i.Span, Dimensions), request.Dimensions))];
                return new FakeResponse(new RecordedRequest(route, vectors.Count, null, null, request.Dimensions, request.Normalize), vectors, Matrix);
            }

            case EndpointRoute:
            {
                InferenceEndpointRequest<string> request = JsonSerializer.Deserialize(body, RemoteJsonContext.Default.InferenceEndpointRequestString)!;
                InferenceEndpointParameters p = request.Parameters;
                List<List<float>> vectors = p.Mode == RemoteRoutes.ImageEmbeddingMode
                    ? [.. request.Inputs.Select(i => Truncate(FakeEmbedding.ForImage(Convert.FromBase64String(i), Dimensions), p.Dimensions))]
                    : p.Mode == RemoteRoutes.TextEmbeddingMode
                        ? Texts(request.Inputs, p.PromptName, p.Dimensions)
                        : throw new InvalidOperationException("Unknown mode.");
                return new FakeResponse(
                    new RecordedRequest(route, vectors.Count, null, p.PromptName, p.Dimensions, p.Normalize) { Mode = p.Mode },
                    vectors,
                    v => $$"""{"embeddings":{{Matrix(v)}}}""");
            }

            case OpenAIRoute:
            {
                OpenAIEmbeddingRequest request = JsonSerializer.Deserialize(body, RemoteJsonContext.Default.OpenAIEmbeddingRequest)!;
                int tokens = 0;
                var vectors = new List<List<float>>();
                foreach (string input in request.Input.Values)
                {
                    if (input.StartsWith("data:", StringComparison.Ordinal))
                    {
                        vectors.Add(Truncate(FakeEmbedding.ForImage(Convert.FromBase64String(input[(input.IndexOf(',', StringComparison.Ordinal) + 1)..]), Dimensions), request.Dimensions));
                    }
                    else
                    {
                        tokens += input.Length;
                        vectors.Add(Truncate(FakeEmbedding.ForText(input, Dimensions), request.Dimensions));
                    }
                }

                return new FakeResponse(
                    new RecordedRequest(route, vectors.Count, null, null, request.Dimensions, null) { Model = request.Model },
                    vectors,
                    v => OpenAI(v, request.Model, tokens));
            }

            default:
                throw new InvalidOperationException("Unknown route.");
        }
    }

    private List<List<float>> Texts(IReadOnlyList<string> texts, string? promptName, int? dimensions) =>
        [.. texts.Select(t => Truncate(FakeEmbedding.ForText(t, Dimensions, promptName), dimensions))];

    private static List<float> Truncate(float[] vector, int? dimensions) =>
        [.. dimensions is { } d && d < vector.Length ? vector[..d] : vector];

    private static string Number(float v) => v switch
    {
        // As Python's json module writes them: bare tokens that are not JSON.
        float.NaN => "NaN",
        float.PositiveInfinity => "1e39",
        float.NegativeInfinity => "-1e39",
        _ => v.ToString("R", CultureInfo.InvariantCulture),
    };

    private static string Vector(List<float> v) => "[" + string.Join(',', v.Select(Number)) + "]";

    private static string Matrix(List<List<float>> vectors) => "[" + string.Join(',', vectors.Select(Vector)) + "]";

    private static string TokenLevel(List<List<float>> vectors) =>
        // Three token vectors per input whose mean is the input's vector: v - 0.25, v + 0.25, v.
        "[" + string.Join(',', vectors.Select(v => "[" + string.Join(',', Vector([.. v.Select(x => x - 0.25f)]), Vector([.. v.Select(x => x + 0.25f)]), Vector(v)) + "]")) + "]";

    private static string OpenAI(List<List<float>> vectors, string model, int tokens)
    {
        // Items in reverse order: the client must place them by index.
        var items = vectors.Select((v, i) => $$"""{"object":"embedding","index":{{i}},"embedding":{{Vector(v)}}}""").Reverse();
        string usage = $$"""{"prompt_tokens":{{tokens}},"total_tokens":{{tokens}}}""";
        return $$"""{"object":"list","data":[{{string.Join(',', items)}}],"model":"{{model}}","usage":{{usage}}}""";
    }

    private static Task WriteAsync(HttpContext context, int status, string body) => WriteAsync(context, status, Encoding.UTF8.GetBytes(body));

    private static async Task WriteAsync(HttpContext context, int status, byte[] body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body, context.RequestAborted);
    }

    private sealed record FakeResponse(RecordedRequest Request, List<List<float>> Vectors, Func<List<List<float>>, string> Write);
}
