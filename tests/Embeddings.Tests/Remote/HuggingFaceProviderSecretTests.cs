using Embeddings.TestSupport;
using Microsoft.Extensions.Logging;
using static Embeddings.Remote.RemoteTestHelpers;

namespace Embeddings.Remote;

/// <summary>The API key never reaches logs, exception text, usage records, spans or metrics, whatever happens.</summary>
public sealed class HuggingFaceProviderSecretTests(ITestOutputHelper output)
{
    private const string Key = "hf_SeCrEt0123456789abcdefKEY";
    private const string WrongKey = "hf_WrOnG9876543210fedcbaKEY";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task EveryFault_NeverWritesTheApiKeyAnywhere()
    {
        await using var server = await FaultInjectingServer.StartAsync(dimensions: 8, requiredApiKey: Key);
        var logs = new CapturingLoggerProvider();
        var observer = new RecordingUsageObserver();
        using var telemetry = new TelemetryCapture();
        var errors = new List<string>();
        ServerFault[] faults =
        [
            ServerFault.None,
            ServerFault.Status(500, $$"""{"error":"token {{Key}} rejected by upstream (Authorization: Bearer {{Key}})"}"""),
            ServerFault.Status(502),
            ServerFault.Status(503, null, ("Retry-After", "0")),
            ServerFault.Status(504),
            ServerFault.RateLimited("0"),
            ServerFault.Status(400, $$"""{"message":"bad request for key {{Key}}"}"""),
            ServerFault.Status(403),
            ServerFault.Status(413),
            ServerFault.Status(422, $"plain text error mentioning {Key}"),
            ServerFault.Slow(TimeSpan.FromSeconds(5)),
            ServerFault.DropConnection,
            ServerFault.MalformedJson,
            ServerFault.NaN,
            ServerFault.WrongDimensions,
            ServerFault.WrongCount,
            ServerFault.Html,
        ];

        using (var scope = Provider(SecretOptions(server, Key), logs.CreateLogger("remote"), observer))
        {
            foreach (ServerFault fault in faults)
            {
                server.Fault = fault;
                await Collect(scope.Provider, errors, "text", EmbeddingInput.FromImage(new byte[] { 1, 2, 3 }));
            }
        }

        // A refused key, an open circuit and an unreachable server.
        server.Fault = ServerFault.None;
        using (var wrong = Provider(SecretOptions(server, WrongKey), logs.CreateLogger("remote"), observer))
        {
            await Collect(wrong.Provider, errors, "text");
        }

        using (var breaker = Provider(SecretOptions(server, Key, o => o.CircuitBreaker.Enabled = true), logs.CreateLogger("remote"), observer))
        {
            server.Fault = ServerFault.Status(500);
            for (int i = 0; i < 3; i++)
            {
                await Collect(breaker.Provider, errors, "text");
            }

            Assert.Equal(RemoteCircuitState.Open, breaker.Provider.CircuitState);
        }

        Uri closed;
        await using (var gone = await FaultInjectingServer.StartAsync())
        {
            closed = gone.BaseUrl;
        }

        using (var unreachable = Provider(SecretOptions(server, Key, o => o.BaseUrl = closed), logs.CreateLogger("remote"), observer))
        {
            await Collect(unreachable.Provider, errors, "text");
        }

        string everything = string.Join('\n',
            logs.AllText, telemetry.AllText, string.Join('\n', errors), string.Join('\n', observer.Records.Select(r => r.ToString())));
        output.WriteLine($"Captured {logs.Entries.Count} log entries, {telemetry.Spans.Count} spans, {telemetry.Measurements.Count} measurements, "
            + $"{errors.Count} errors, {observer.Records.Count} usage records ({everything.Length} characters).");

        // The capture is real: the faults were seen, logged, traced and recorded...
        Assert.Contains("Bearer " + Key, server.Requests.Select(r => r.Authorization));
        Assert.Contains(logs.Entries, e => e.Message.Contains("latency=", StringComparison.Ordinal));
        Assert.Contains(logs.Entries, e => e.EventId.Name == "RemoteRetry");
        Assert.Contains(logs.Entries, e => e.EventId.Name == "RemoteCircuitOpened");
        Assert.Contains(errors, e => e.Contains("[redacted]", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("Unauthorized", StringComparison.Ordinal));
        Assert.Contains(telemetry.Spans, s => s.Source.Name == "Embeddings");
        Assert.True(observer.Records.Count >= faults.Length);

        // ...and neither key appears anywhere in it.
        Assert.DoesNotContain(Key, everything, StringComparison.Ordinal);
        Assert.DoesNotContain(WrongKey, everything, StringComparison.Ordinal);
        Assert.DoesNotContain(Key[3..15], everything, StringComparison.Ordinal);
    }

    private static HuggingFaceProviderOptions SecretOptions(FaultInjectingServer server, string key, Action<HuggingFaceProviderOptions>? configure = null) =>
        Options(server, RemoteProtocol.EmbeddingsServer, o =>
        {
            o.ApiKey = key;
            o.Timeout = TimeSpan.FromMilliseconds(200);
            o.MaxRetries = 1;
            o.CircuitBreaker.MinimumThroughput = 2;
            o.CircuitBreaker.FailureRatio = 1.0;
            configure?.Invoke(o);
        });

    private static async Task Collect(HuggingFaceProvider provider, List<string> errors, params EmbeddingInput[] inputs)
    {
        foreach (EmbeddingResult result in await provider.EmbedAsync(inputs, cancellationToken: Ct))
        {
            if (result.Error is { } error)
            {
                errors.Add(error.ToString());
                errors.Add(error.Message);
            }
        }
    }
}
