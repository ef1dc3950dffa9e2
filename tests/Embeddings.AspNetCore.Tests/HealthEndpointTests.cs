using System.Net;
using Embeddings.AspNetCore.TestSupport;
using Embeddings.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Embeddings.AspNetCore;

/// <summary>Liveness and readiness: no token, 503 until the model is loaded and warmed up.</summary>
public sealed class HealthEndpointTests
{
    [Fact]
    public async Task Health_NoToken_Returns200Ok()
    {
        await using ServerHost host = await ServerHost.StartAsync(ServedFakes.Provider());

        using HttpResponseMessage live = await host.Anonymous.GetAsync("health", TestContext.Current.CancellationToken);
        using HttpResponseMessage ready = await host.Anonymous.GetAsync("health/ready", TestContext.Current.CancellationToken);
        using var head = new HttpRequestMessage(HttpMethod.Head, "health");
        using HttpResponseMessage headResponse = await host.Anonymous.SendAsync(head, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal("ok", await live.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("ready", (await HttpJson.ReadAsync(ready)).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, headResponse.StatusCode);
    }

    [Fact]
    public async Task Readiness_WhileTheModelLoads_Returns503ThenReady_AndRequestsWaitForIt()
    {
        var loading = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        TestEmbeddingProvider provider = ServedFakes.Provider();
        await using ServerHost host = await ServerHost.StartAsync(
            services => services.AddSingleton<IEmbeddingProvider>(_ =>
            {
                // A local provider loads its model in its constructor: resolution blocks like this.
                loading.Task.Wait(TestContext.Current.CancellationToken);
                return provider;
            }),
            waitUntilReady: false);

        using HttpResponseMessage live = await host.Anonymous.GetAsync("health", TestContext.Current.CancellationToken);
        using HttpResponseMessage starting = await host.Anonymous.GetAsync("health/ready", TestContext.Current.CancellationToken);
        Task<HttpResponseMessage> early = HttpJson.PostAsync(host.Client, "predict", """{"query": "early"}""");
        await Task.Delay(100, TestContext.Current.CancellationToken);
        Assert.False(early.IsCompleted);

        loading.SetResult();
        await host.WaitUntilReadyAsync();
        using HttpResponseMessage served = await early;

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, starting.StatusCode);
        Assert.Equal("starting", (await HttpJson.ReadAsync(starting)).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Equal(ServedFakes.Text("early", "query"), await HttpJson.ReadVectorAsync(served));
    }

    [Fact]
    public async Task Readiness_ProviderFailsToLoad_Returns503Failed_AndEmbeddingRoutesReturn503()
    {
        var logs = new CapturingLoggerProvider();
        await using ServerHost host = await ServerHost.StartAsync(
            services => services.AddSingleton<IEmbeddingProvider>(_ => throw new EmbeddingModelException("/models/missing", "model.onnx was not found in /models/missing")),
            logging: logging => logging.AddProvider(logs),
            waitUntilReady: false);

        using HttpResponseMessage predict = await HttpJson.PostAsync(host.Client, "predict", """{"query": "x"}""");
        using HttpResponseMessage ready = await host.Anonymous.GetAsync("health/ready", TestContext.Current.CancellationToken);
        using HttpResponseMessage live = await host.Anonymous.GetAsync("health", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, predict.StatusCode);
        (string message, string type) = await HttpJson.ReadErrorAsync(predict);
        Assert.Equal("Unhealthy", type);
        Assert.DoesNotContain("/models/missing", message, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Equal("failed", (await HttpJson.ReadAsync(ready)).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Contains(logs.Entries, e => e.Level == LogLevel.Error && e.Exception!.Contains("model.onnx was not found", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Readiness_WithWarmUp_IsReachedOnlyAfterTheProviderRanOnce()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        TestEmbeddingProvider provider = ServedFakes.Provider();
        provider.OnCall = (_, _) => release.Task;
        await using ServerHost host = await ServerHost.StartAsync(
            services => services.AddSingleton<IEmbeddingProvider>(provider), o => o.WarmUp = true, waitUntilReady: false);

        await ProviderCalls.WaitForAsync(provider);

        using HttpResponseMessage warming = await host.Anonymous.GetAsync("health/ready", TestContext.Current.CancellationToken);
        release.SetResult();
        await host.WaitUntilReadyAsync();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, warming.StatusCode);
        Assert.Equal(EmbeddingInputKind.Text, Assert.Single(provider.Batches[0]).Kind);
    }

    [Fact]
    public async Task Health_WithAuthorizationConventions_StaysAnonymous()
    {
        // Conventions added to the returned builder apply to the embedding routes only.
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddSingleton<IEmbeddingProvider>(ServedFakes.Provider());
        await using WebApplication app = builder.Build();
        var tagged = new List<string>();
        app.MapEmbeddings(o => o.AuthToken = ServerHost.Token).Add(endpoint => tagged.Add(((Microsoft.AspNetCore.Routing.RouteEndpointBuilder)endpoint).RoutePattern.RawText!));
        await app.StartAsync(TestContext.Current.CancellationToken);
        string address = app.Urls.First();
        using var client = new HttpClient { BaseAddress = new Uri(address) };

        // Endpoints (and their conventions) are built on the first request.
        using HttpResponseMessage live = await client.GetAsync("/health", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(["/predict", "/embed", "/v1/embeddings", "/embeddings", "/embed_image", "/info"], tagged);
        await app.StopAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public void MapEmbeddings_NoProviderRegistered_Throws()
    {
        using WebApplication app = WebApplication.CreateSlimBuilder().Build();

        var error = Assert.Throws<InvalidOperationException>(() => app.MapEmbeddings(o => o.AuthToken = ServerHost.Token));

        Assert.Contains("EmbeddingsServiceKeys.Text", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MapEmbeddings_InvalidOptions_ThrowsListingEveryProblem()
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Services.AddSingleton<IEmbeddingProvider>(ServedFakes.Provider());
        using WebApplication app = builder.Build();

        var error = Assert.Throws<ArgumentException>(() => app.MapEmbeddings(o =>
        {
            o.AuthToken = ServerHost.Token;
            o.MaxBatchSize = 0;
            o.MaxQueuedInputs = 10;
            o.MaxBatchDelay = TimeSpan.FromMinutes(1);
        }));

        Assert.Contains("MaxBatchSize must be positive", error.Message, StringComparison.Ordinal);
        Assert.Contains("MaxQueuedInputs must be at least MaxInputsPerRequest", error.Message, StringComparison.Ordinal);
        Assert.Contains("MaxBatchDelay", error.Message, StringComparison.Ordinal);
    }
}
