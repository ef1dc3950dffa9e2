using Embeddings.Composition;
using Embeddings.Remote;
using Embeddings.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using static Embeddings.DependencyInjection.EmbeddingsServiceCollectionExtensionsTests;

namespace Embeddings.DependencyInjection;

/// <summary>The health checks and the fallback, end to end through a host: a remote server that fails on command, and
/// local models that load slowly, fail or succeed.</summary>
public sealed class EmbeddingsHealthCheckTests
{
    private const string ApiKey = "hf_SECRET_health_key_91b2";
    private static readonly TimeSpan s_breakDuration = TimeSpan.FromMilliseconds(500);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RemoteMode_ServerFails_VectorsComeFromLocalHealthIsDegradedWhileTheCircuitIsOpenAndHealthyAfterRecovery()
    {
        await using var server = await FaultInjectingServer.StartAsync(dimensions: 8, requiredApiKey: ApiKey);
        await using EmbeddingsTestHost host = await EmbeddingsTestHost.StartAsync(RemoteEnv(server), b => b.Services.AddEmbeddings().Services.AddHealthChecks());
        IEmbeddingProvider image = host.Services.GetRequiredKeyedService<IEmbeddingProvider>(EmbeddingsServiceKeys.Image);
        Assert.Equal(HealthStatus.Healthy, (await CheckAsync(host)).Entries["embeddings-image"].Status);

        server.Fault = ServerFault.Status(503);
        string[] texts = ["oak veneer", "brushed steel"];
        IReadOnlyList<EmbeddingResult> fellBack = await image.EmbedAsync([.. texts.Select(t => EmbeddingInput.FromText(t))], cancellationToken: Ct);

        for (int i = 0; i < texts.Length; i++)
        {
            Assert.Equal("local-onnx", fellBack[i].ProviderName);
            Assert.Equal(host.Loader.VectorFor(EmbeddingInput.FromText(texts[i])), fellBack[i].Vector.ToArray());
            Assert.Equal("HttpStatus", fellBack[i].Embedding!.AdditionalProperties![FallbackProvider.FallbackReasonProperty]);
        }

        await image.EmbedAsync(["terrazzo"], cancellationToken: Ct); // the second failed attempt opens the circuit
        HealthReport open = await CheckAsync(host);
        HealthReportEntry entry = open.Entries["embeddings-image"];
        Assert.Equal(HealthStatus.Degraded, entry.Status);
        Assert.Equal(HealthStatus.Degraded, open.Status);
        Assert.Equal("Open", entry.Data["circuit_state"]);
        Assert.Equal("The remote service is failing (circuit open); the local model google/siglip2-so400m-patch14-384 is loaded.", entry.Description);
        Assert.Equal(HealthStatus.Healthy, open.Entries["embeddings-text"].Status);

        // While it is open, the server is not called at all and the local model serves.
        int requests = server.TotalRequests;
        Assert.Equal("local-onnx", (await image.EmbedAsync(["marble"], cancellationToken: Ct))[0].ProviderName);
        Assert.Equal(requests, server.TotalRequests);

        server.Fault = ServerFault.None;
        await Task.Delay(s_breakDuration + TimeSpan.FromMilliseconds(100), Ct);
        Assert.Equal(HealthStatus.Degraded, (await CheckAsync(host)).Entries["embeddings-image"].Status); // half-open: not proven yet
        EmbeddingResult probe = (await image.EmbedAsync(["granite"], cancellationToken: Ct))[0];

        Assert.Equal("huggingface", probe.ProviderName);
        HealthReport recovered = await CheckAsync(host);
        Assert.Equal(HealthStatus.Healthy, recovered.Status);
        Assert.Equal("Closed", recovered.Entries["embeddings-image"].Data["circuit_state"]);
        Assert.Equal(1, host.Loader.Loads);
        Assert.DoesNotContain(ApiKey, host.Logs.AllText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RemoteMode_ServerDownAndManyConcurrentFirstCalls_TheLocalModelLoadsOnce()
    {
        await using var server = await FaultInjectingServer.StartAsync(dimensions: 8);
        server.Fault = ServerFault.Status(502);
        var loader = new TestLocalModelLoader { OnLoad = (_, token) => Task.Delay(200, token) };
        await using EmbeddingsTestHost host = await EmbeddingsTestHost.StartAsync(RemoteEnv(server), loader: loader);
        IEmbeddingProvider image = host.Services.GetRequiredKeyedService<IEmbeddingProvider>(EmbeddingsServiceKeys.Image);

        IReadOnlyList<EmbeddingResult>[] results = await Task.WhenAll(
            Enumerable.Range(0, 16).Select(i => Task.Run(() => image.EmbedAsync([$"query {i}"], cancellationToken: Ct), Ct)));

        Assert.All(results, r => Assert.Equal("local-onnx", Assert.Single(r).ProviderName));
        Assert.Equal(1, loader.Loads);
        Assert.Equal(EmbeddingsServiceKeys.Image, Assert.Single(loader.Requests).Role);
    }

    [Fact]
    public async Task ModelLoadingAtStartup_HealthIsUnhealthyWhileLoadingAndHealthyOnceLoaded()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var loader = new TestLocalModelLoader { OnLoad = (_, _) => release.Task };
        await using EmbeddingsTestHost host = await EmbeddingsTestHost.StartAsync(
            Env(("Embeddings:ModelLoading", "AtStartup")), b => b.Services.AddEmbeddings().Services.AddHealthChecks(), loader);

        // The host started without waiting; both models are loading.
        await LazyEmbeddingProviderTests.WaitUntilAsync(() => loader.Loads == 2);
        HealthReport loading = await CheckAsync(host);
        Assert.Equal(HealthStatus.Unhealthy, loading.Status);
        Assert.Equal("The local model google/siglip2-so400m-patch14-384 is loading.", loading.Entries["embeddings-image"].Description);
        Assert.Equal("Loading", loading.Entries["embeddings-text"].Data["local_state"]);

        release.SetResult();
        EmbeddingsProviders providers = host.Services.GetRequiredService<EmbeddingsProviders>();
        await LazyEmbeddingProviderTests.WaitUntilAsync(() => providers.Roles.All(r => r.Local.State == ModelLoadState.Loaded));

        HealthReport ready = await CheckAsync(host);
        Assert.Equal(HealthStatus.Healthy, ready.Status);
        Assert.Equal("The local model onnx-community/embeddinggemma-300m-ONNX is loaded.", ready.Entries["embeddings-text"].Description);
        Assert.Equal(2, loader.Loads);
    }

    [Fact]
    public async Task ModelLoadingBeforeStartup_ALoadFails_TheHostDoesNotStart()
    {
        var failure = new EmbeddingModelException("broken/model", "No ONNX export found.");
        var loader = new TestLocalModelLoader { OnLoad = (request, _) => request.Role == EmbeddingsServiceKeys.Image ? Task.FromException(failure) : Task.CompletedTask };
        await using EmbeddingsTestHost host = EmbeddingsTestHost.Build(
            Env(("Embeddings:ModelLoading", "BeforeStartup"), ("VISUAL_EMBEDDING_PRIMARY_MODEL", "broken/model")), b => b.Services.AddEmbeddings(), loader);

        var error = await Assert.ThrowsAsync<EmbeddingModelException>(host.StartHostAsync);

        Assert.Same(failure, error);
        CapturedLog logged = Assert.Single(host.Logs.Entries, e => e.Level == LogLevel.Error && e.Category == "Embeddings.DependencyInjection");
        Assert.StartsWith("The image model broken/model could not be loaded after ", logged.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ModelLoadingBeforeStartup_ModelsLoad_BothAreLoadedWhenTheHostHasStarted()
    {
        var loader = new TestLocalModelLoader { OnLoad = (_, token) => Task.Delay(100, token) };
        await using EmbeddingsTestHost host = await EmbeddingsTestHost.StartAsync(
            Env(("Embeddings:ModelLoading", "BeforeStartup")), b => b.Services.AddEmbeddings().Services.AddHealthChecks(), loader);

        Assert.All(host.Services.GetRequiredService<EmbeddingsProviders>().Roles, r => Assert.Equal(ModelLoadState.Loaded, r.Local.State));
        Assert.Equal(HealthStatus.Healthy, (await CheckAsync(host)).Status);
    }

    [Fact]
    public async Task LocalMode_TheModelFailsToLoad_UnhealthyWithTheError()
    {
        var failure = new EmbeddingModelException("google/siglip2-so400m-patch14-384", "Offline, and the model is not in the cache.");
        var loader = new TestLocalModelLoader { OnLoad = (request, _) => request.Role == EmbeddingsServiceKeys.Image ? Task.FromException(failure) : Task.CompletedTask };
        await using EmbeddingsTestHost host = await EmbeddingsTestHost.StartAsync(Env(), b => b.Services.AddEmbeddings().Services.AddHealthChecks(), loader);

        EmbeddingResult result = (await host.Services.GetRequiredKeyedService<IEmbeddingProvider>(EmbeddingsServiceKeys.Image).EmbedAsync(["a"], cancellationToken: Ct))[0];

        Assert.Same(failure, result.Error);
        HealthReportEntry entry = (await CheckAsync(host)).Entries["embeddings-image"];
        Assert.Equal(HealthStatus.Unhealthy, entry.Status);
        Assert.Same(failure, entry.Exception);
        Assert.Equal("The local model google/siglip2-so400m-patch14-384 failed to load (EmbeddingModelException).", entry.Description);
    }

    [Fact]
    public async Task RemoteMode_LocalFallbackFailsToLoadWhileTheRemoteAnswers_Degraded()
    {
        await using var server = await FaultInjectingServer.StartAsync(dimensions: 8, requiredApiKey: ApiKey);
        var loader = new TestLocalModelLoader { OnLoad = (_, _) => throw new EmbeddingModelException("m", "cannot load") };
        await using EmbeddingsTestHost host = await EmbeddingsTestHost.StartAsync(RemoteEnv(server), b => b.Services.AddEmbeddings().Services.AddHealthChecks(), loader);
        EmbeddingsProviders providers = host.Services.GetRequiredService<EmbeddingsProviders>();

        await Assert.ThrowsAnyAsync<EmbeddingException>(() => providers.Image!.Local.LoadAsync(Ct));

        HealthReportEntry entry = (await CheckAsync(host)).Entries["embeddings-image"];
        Assert.Equal(HealthStatus.Degraded, entry.Status);
        Assert.Equal(("Closed", "Failed"), (entry.Data["circuit_state"], entry.Data["local_state"]));
        Assert.Equal("huggingface", (await providers.Image!.Provider.EmbedAsync(["still served"], cancellationToken: Ct))[0].ProviderName);
    }

    [Fact]
    public async Task AddEmbeddingsHealthChecks_CustomTags_ReplaceTheDefaultOnesAndDisabledProvidersHaveNoCheck()
    {
        await using EmbeddingsTestHost host = await EmbeddingsTestHost.StartAsync(
            Env(("VISUAL_EMBEDDING_ENABLED", "false")),
            b => b.Services.AddEmbeddings().Services.AddHealthChecks().AddEmbeddingsHealthChecks("ready", "models"));

        HealthReport report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(r => r.Tags.Contains("ready"), Ct);

        HealthReportEntry entry = Assert.Single(report.Entries, e => e.Key == "embeddings-text").Value;
        Assert.Equal(["models", "ready"], entry.Tags.Order());
        Assert.Single(report.Entries);
    }

    [Fact]
    public async Task AddEmbeddings_WithoutHealthChecks_RegistersNoHealthCheckService()
    {
        await using EmbeddingsTestHost host = await EmbeddingsTestHost.StartAsync(Env());

        Assert.Null(host.Services.GetService<HealthCheckService>());
    }

    private static Dictionary<string, string?> RemoteEnv(FaultInjectingServer server) => Env(
        ("VISUAL_EMBEDDING_MODE", "remote"),
        ("HUGGINGFACE_API_KEY", server.RequiredApiKey ?? ApiKey),
        ("HUGGINGFACE_API_URL", server.BaseUrl.ToString()),
        ("HUGGINGFACE_MAX_RETRIES", "0"),
        ("HUGGINGFACE_TIMEOUT", "5"),
        ("Embeddings:Remote:CircuitBreaker:MinimumThroughput", "2"),
        ("Embeddings:Remote:CircuitBreaker:BreakDuration", "00:00:00.5"),
        ("Embeddings:Fallback:WarningInterval", "00:00:00"));

    private static Task<HealthReport> CheckAsync(EmbeddingsTestHost host) =>
        host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(Ct);
}
