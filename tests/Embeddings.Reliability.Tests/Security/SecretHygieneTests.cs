using System.Net.Http.Headers;
using System.Text;
using Embeddings.Composition;
using Embeddings.Local;
using Embeddings.Reliability.Support;
using Embeddings.Remote;
using Embeddings.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Embeddings.Reliability.Security;

/// <summary>
/// Secrets never leave where they belong. A whole deployment runs: a client (remote provider with a bearer token)
/// calls this project's server (which requires that token), whose provider is a fallback chain of a remote service
/// (with its own API key, behind a fault-injecting server) and a local model. Every kind of failure happens on the
/// way; the logs of every component at Trace level, every exception, every span and metric tag, every usage record
/// and every response body the client sees are captured, and neither secret is anywhere in them.
/// </summary>
[Collection(nameof(IsolatedCollection))]
public sealed class SecretHygieneTests(ITestOutputHelper output)
{
    private const string ServerToken = "srv_B3arerT0ken_5ecret_9f8e7d6c5b4a";
    private const string UpstreamKey = "hf_Up5treamK3y_5ecret_0a1b2c3d4e5f";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task WholeScenario_EveryFailureKind_SecretsInNoLogExceptionTagOrBody()
    {
        var logs = new CapturingLoggerProvider();
        using var loggerFactory = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(logs));
        using var telemetry = new TelemetryCapture();
        var usage = new RecordingUsageObserver();
        var seen = new StringBuilder();

        await using FaultInjectingServer upstream = await FaultInjectingServer.StartAsync(dimensions: 32, requiredApiKey: UpstreamKey);
        LocalOnnxProvider local = ReliabilityModels.Create("minilm");
        HuggingFaceProvider remote = HuggingFaceProvider.Create(UpstreamOptions(upstream, UpstreamKey, local.Metadata.ModelId), loggerFactory, usage);
        var chain = new FallbackProvider([remote, local], new FallbackProviderOptions { WarningInterval = TimeSpan.Zero }, loggerFactory, usageObserver: usage);
        await using ServerHost server = await ServerHost.StartAsync(services => services.AddSingleton<IEmbeddingProvider>(chain), logging: b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(logs), token: ServerToken);

        using HuggingFaceProvider client = HuggingFaceProvider.Create(ClientOptions(server, ServerToken), loggerFactory, usage);
        using HuggingFaceProvider wrongClient = HuggingFaceProvider.Create(ClientOptions(server, ServerToken[..^1] + "X"), loggerFactory, usage);

        ServerFault[] faults =
        [
            ServerFault.None,
            ServerFault.Status(500, $$"""{"error":"upstream rejected Bearer {{UpstreamKey}}"}"""),
            ServerFault.Status(502),
            ServerFault.Status(503, null, ("Retry-After", "0")),
            ServerFault.RateLimited("0"),
            ServerFault.Status(400, $"plain text echoing {UpstreamKey}"),
            ServerFault.Status(401),
            ServerFault.Status(403, $$"""{"error":"token {{UpstreamKey}} has no access"}"""),
            ServerFault.Status(413),
            ServerFault.Slow(TimeSpan.FromSeconds(2)),
            ServerFault.DropConnection,
            ServerFault.MalformedJson,
            ServerFault.NaN,
            ServerFault.Overflow,
            ServerFault.WrongDimensions,
            ServerFault.WrongCount,
            ServerFault.Html,
        ];

        int results = 0;
        foreach (ServerFault fault in faults)
        {
            upstream.Fault = fault;
            results += await CollectAsync(client, seen, "a text", "another text", EmbeddingInput.FromImage(new byte[] { 1, 2, 3 }, "junk image"));
            results += await CollectAsync(chain, seen, "direct to the chain");
            results += await CollectAsync(wrongClient, seen, "refused by the server");
        }

        // The upstream refusing the chain's key (a wrong key), the server unreachable, and raw requests with every
        // kind of wrong credentials, whose response bodies and headers are read as a client would.
        upstream.Fault = ServerFault.None;
        using (HuggingFaceProvider wrongUpstream = HuggingFaceProvider.Create(UpstreamOptions(upstream, UpstreamKey + "-revoked", local.Metadata.ModelId), loggerFactory, usage))
        {
            results += await CollectAsync(wrongUpstream, seen, "upstream refuses the key");
        }

        foreach (string authorization in new[] { "Bearer " + ServerToken[..^1], "Bearer " + ServerToken + "x", "Basic " + ServerToken, ServerToken, "Bearer " + UpstreamKey })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "predict") { Content = new StringContent("""{"query": "x"}""", Encoding.UTF8, "application/json") };
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
            using HttpResponseMessage response = await server.Anonymous.SendAsync(request, Ct);
            seen.AppendLine(response.ToString()).AppendLine(await response.Content.ReadAsStringAsync(Ct));
        }

        await server.DisposeAsync();
        using (HuggingFaceProvider gone = HuggingFaceProvider.Create(ClientOptions(server, ServerToken), loggerFactory, usage))
        {
            results += await CollectAsync(gone, seen, "server stopped");
        }

        chain.Dispose();

        string everything = string.Join('\n', logs.AllText, telemetry.AllText, seen.ToString(), string.Join('\n', usage.Records.Select(r => r.ToString())));
        output.WriteLine($"{logs.Entries.Count} log entries (Trace and up), {telemetry.Spans.Count} spans, {telemetry.Measurements.Count} measurements, " +
            $"{results} results, {usage.Records.Count} usage records: {everything.Length:N0} characters searched.");

        // The capture saw the failures it claims to cover...
        Assert.Contains(upstream.Requests, r => r.Authorization == "Bearer " + UpstreamKey);
        Assert.Contains(logs.Entries, e => e.EventId.Name == "RemoteRetry");
        Assert.Contains(logs.Entries, e => e.EventId.Name == "EmbeddingsServerUnauthorized");
        Assert.Contains("Unauthorized", seen.ToString(), StringComparison.Ordinal);
        Assert.Contains(telemetry.Spans, s => s.Source.Name == "Embeddings");

        // ...and neither secret, nor a long piece of one, is anywhere in it.
        foreach (string secret in new[] { ServerToken, UpstreamKey })
        {
            Assert.DoesNotContain(secret, everything, StringComparison.Ordinal);
            Assert.DoesNotContain(secret[4..20], everything, StringComparison.Ordinal);
            Assert.DoesNotContain(Convert.ToBase64String(Encoding.UTF8.GetBytes(secret))[..16], everything, StringComparison.Ordinal);
        }
    }

    private static async Task<int> CollectAsync(IEmbeddingProvider provider, StringBuilder seen, params EmbeddingInput[] inputs)
    {
        foreach (EmbeddingResult result in await provider.EmbedAsync(inputs, cancellationToken: Ct))
        {
            if (result.Error is { } error)
            {
                seen.AppendLine(error.ToString());
            }
        }

        return inputs.Length;
    }

    private static HuggingFaceProviderOptions UpstreamOptions(FaultInjectingServer upstream, string key, string modelId)
    {
        var options = new HuggingFaceProviderOptions
        {
            BaseUrl = upstream.BaseUrl,
            ApiKey = key,
            ModelId = modelId,
            Protocol = RemoteProtocol.TextEmbeddingsInference,
            Timeout = TimeSpan.FromMilliseconds(300),
            MaxRetries = 1,
            RetryDelay = TimeSpan.FromMilliseconds(5),
            MaxRetryDelay = TimeSpan.FromMilliseconds(20),
        };
        options.CircuitBreaker.MinimumThroughput = 4;
        options.CircuitBreaker.BreakDuration = TimeSpan.FromSeconds(0.5);
        return options;
    }

    private static HuggingFaceProviderOptions ClientOptions(ServerHost server, string token)
    {
        var options = new HuggingFaceProviderOptions
        {
            BaseUrl = server.BaseUrl,
            ApiKey = token,
            ModelId = "served-model",
            Protocol = RemoteProtocol.EmbeddingsServer,
            Timeout = TimeSpan.FromSeconds(5),
            MaxRetries = 1,
            RetryDelay = TimeSpan.FromMilliseconds(5),
            MaxRetryDelay = TimeSpan.FromMilliseconds(20),
        };
        options.CircuitBreaker.Enabled = false;
        return options;
    }
}
