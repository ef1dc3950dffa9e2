using System.Text;
using Embeddings.DependencyInjection;
using Embeddings.Reliability.Support;
using Embeddings.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using static Embeddings.DependencyInjection.EmbeddingsEnvironmentVariables;

namespace Embeddings.Reliability.Security;

/// <summary>
/// The same guarantees through <c>AddEmbeddings()</c>, configured as a deployment configures it (environment variables,
/// here a host configuration that stands for them): the API key never reaches a log (at Trace, the HTTP client's
/// included), an error, a span or a metric; a key over plain http to a remote host stops the host from starting; a
/// hostile model id is refused with a typed error and no request.
/// </summary>
public sealed class AddEmbeddingsSecurityTests : IDisposable
{
    private const string Key = "hf_D1RemoteK3y_5ecret_77aa88bb99cc";

    private readonly string _sandbox = Directory.CreateTempSubdirectory("embeddings-di-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => Directory.Delete(_sandbox, recursive: true);

    [Fact]
    public async Task RemoteMode_EveryFailureKind_KeyInNoLogErrorSpanOrMetric()
    {
        await using FaultInjectingServer upstream = await FaultInjectingServer.StartAsync(
            dimensions: ReliabilityModels.Shared("siglip2").Metadata.Dimensions, requiredApiKey: Key);
        var logs = new CapturingLoggerProvider();
        using var telemetry = new TelemetryCapture();
        using IHost host = Build(logs, new()
        {
            [VisualMode] = "remote",
            [ApiKey] = Key,
            [ApiUrl] = upstream.BaseUrl.ToString(),
            [VisualModel] = ReliabilityModels.Folder("siglip2"),
            [RemoteModel] = "siglip2",
            [AssumeCompatibleKey] = "true",
            [TimeoutKey] = "1",
            [MaxRetriesKey] = "1",
            ["Embeddings:Text:Enabled"] = "false",
            ["Embeddings:Remote:RetryDelay"] = "00:00:00.010",
            ["Embeddings:Remote:MaxRetryDelay"] = "00:00:00.050",
        });
        await host.StartAsync(Ct);
        IEmbeddingProvider provider = host.Services.GetRequiredKeyedService<IEmbeddingProvider>(EmbeddingsServiceKeys.Image);

        var seen = new StringBuilder();
        int served = 0;
        ServerFault[] faults =
        [
            ServerFault.None,
            ServerFault.Status(500, $$"""{"error":"bad key {{Key}}"}"""),
            ServerFault.Status(503, null, ("Retry-After", "0")),
            ServerFault.RateLimited("0"),
            ServerFault.Status(401, $"key {Key} revoked"),
            ServerFault.Status(400, $"echo: Bearer {Key}"),
            ServerFault.Slow(TimeSpan.FromSeconds(3)),
            ServerFault.DropConnection,
            ServerFault.MalformedJson,
            ServerFault.NaN,
            ServerFault.WrongDimensions,
            ServerFault.Html,
            ServerFault.None,
        ];
        foreach (ServerFault fault in faults)
        {
            upstream.Fault = fault;
            IReadOnlyList<EmbeddingResult> results = await provider.EmbedAsync(
                ["a photo of a rocket", EmbeddingInput.FromImage(HostileInput.HostileImages.Read("rocket_launch.jpg"), "rocket"), EmbeddingInput.FromImage(new byte[] { 1, 2 }, "junk")],
                cancellationToken: Ct);
            foreach (EmbeddingResult result in results)
            {
                served += result.Succeeded ? 1 : 0;
                seen.AppendLine(result.Error?.ToString());
            }
        }

        await host.StopAsync(Ct);
        string everything = string.Join('\n', logs.AllText, telemetry.AllText, seen.ToString());

        // The remote path really ran with the key, failed in every way and fell back...
        Assert.Contains(upstream.Requests, r => r.Authorization == "Bearer " + Key);
        Assert.True(served >= 2 * faults.Length, $"only {served} vectors were served");
        Assert.Contains(logs.Entries, e => e.Category.StartsWith("System.Net.Http.HttpClient", StringComparison.Ordinal));

        // ...and the key is nowhere.
        Assert.DoesNotContain(Key, everything, StringComparison.Ordinal);
        Assert.DoesNotContain(Key[3..19], everything, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://example.com/")]
    [InlineData("http://10.1.2.3:8080/")]
    public async Task RemoteModeWithKeyOverPlainHttp_HostDoesNotStart_ErrorNamesTheSettingNotTheKey(string url)
    {
        var logs = new CapturingLoggerProvider();
        using IHost host = Build(logs, RemoteEnvironment(url));

        var error = await Assert.ThrowsAnyAsync<Exception>(() => host.StartAsync(Ct));

        Assert.IsType<OptionsValidationException>(error);
        Assert.Contains("AllowApiKeyOverHttp", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, error.ToString() + logs.AllText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RemoteModeWithKeyOverPlainHttp_ExplicitlyAllowed_Starts()
    {
        Dictionary<string, string?> environment = RemoteEnvironment("http://example.com/");
        environment["Embeddings:Remote:AllowApiKeyOverHttp"] = "true";
        using IHost host = Build(new CapturingLoggerProvider(), environment);

        await host.StartAsync(Ct);
        await host.StopAsync(Ct);
    }

    [Theory]
    [InlineData("../x")]
    [InlineData("org/../../x")]
    [InlineData("org%2F..%2Fx")]
    [InlineData("org\\..\\x")]
    [InlineData("/nonexistent-root-folder/model")]
    public async Task HostileVisualModelId_TypedErrorNoRequestNothingOutsideTheCache(string id)
    {
        await using RecordingHttpServer hub = await RecordingHttpServer.StartAsync();
        string cache = Path.Combine(_sandbox, "cache");
        var logs = new CapturingLoggerProvider();
        using IHost host = Build(logs, new()
        {
            [VisualModel] = id,
            ["Embeddings:Text:Enabled"] = "false",
            ["Embeddings:Local:ModelSource:CacheDirectory"] = cache,
            ["Embeddings:Local:ModelSource:Endpoint"] = hub.BaseUrl.ToString(),
            ["Embeddings:Local:ModelSource:Offline"] = "false",
        });

        EmbeddingException? error = null;
        bool refusedAtStart = false;
        try
        {
            await host.StartAsync(Ct);
            IEmbeddingProvider provider = host.Services.GetRequiredKeyedService<IEmbeddingProvider>(EmbeddingsServiceKeys.Image);
            IReadOnlyList<EmbeddingResult> results = await provider.EmbedAsync(["x"], cancellationToken: Ct);
            error = results[0].Error;
        }
        catch (OptionsValidationException ex)
        {
            // Refused at start-up: just as good.
            Assert.Contains(VisualModelKey, ex.Message, StringComparison.Ordinal);
            refusedAtStart = true;
        }
        catch (EmbeddingException ex)
        {
            error = ex;
        }

        // Refused one way or the other: a vector for a hostile id is a failure.
        if (!refusedAtStart)
        {
            Assert.IsType<EmbeddingModelException>(error);
        }

        Assert.Empty(hub.Requests);
        Assert.All(Directory.EnumerateFileSystemEntries(_sandbox), e => Assert.Equal(Path.GetFullPath(cache), Path.GetFullPath(e)));
    }

    private static Dictionary<string, string?> RemoteEnvironment(string url) => new()
    {
        [VisualMode] = "remote",
        [ApiKey] = Key,
        [ApiUrl] = url,
        [VisualModel] = ReliabilityModels.Folder("siglip2"),
        [RemoteModel] = "siglip2",
        [AssumeCompatibleKey] = "true",
        ["Embeddings:Text:Enabled"] = "false",
    };

    private static IHost Build(CapturingLoggerProvider logs, Dictionary<string, string?> environment)
    {
        var settings = new HostApplicationBuilderSettings { DisableDefaults = true, Configuration = new ConfigurationManager() };
        settings.Configuration.AddInMemoryCollection(environment);
        HostApplicationBuilder builder = Host.CreateApplicationBuilder(settings);
        builder.Logging.ClearProviders().AddProvider(logs).SetMinimumLevel(LogLevel.Trace);
        builder.Services.AddEmbeddings(builder.Configuration);
        return builder.Build();
    }
}
