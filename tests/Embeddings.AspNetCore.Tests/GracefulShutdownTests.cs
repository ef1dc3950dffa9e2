using System.Net;
using Embeddings.AspNetCore.TestSupport;
using Embeddings.TestSupport;

namespace Embeddings.AspNetCore;

/// <summary>Stopping the host lets running and queued requests finish with their vectors.</summary>
public sealed class GracefulShutdownTests
{
    [Fact]
    public async Task StopAsync_RequestRunningAndRequestQueued_BothFinishWithTheirVectors()
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        TestEmbeddingProvider provider = ServedFakes.Provider();
        provider.OnCall = async (_, ct) =>
        {
            started.TrySetResult();
            await Task.Delay(400, ct);
        };
        await using ServerHost host = await ServerHost.StartAsync(provider, o => o.MaxConcurrentBatches = 1);
        using var meters = new ServerMeters(host.App.Services);

        Task<HttpResponseMessage> running = HttpJson.PostAsync(host.Client, "predict", """{"query": "running"}""");
        await started.Task.WaitAsync(TestContext.Current.CancellationToken);
        Task<HttpResponseMessage> queued = HttpJson.PostAsync(host.Client, "predict", """{"query": "queued", "prompt_name": "document"}""");
        await meters.WaitForQueuedAsync(1);

        Task stopping = host.StopAsync();
        using HttpResponseMessage first = await running;
        using HttpResponseMessage second = await queued;
        await stopping;

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(ServedFakes.Text("running", "query"), await HttpJson.ReadVectorAsync(first));
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(ServedFakes.Text("queued", "document"), await HttpJson.ReadVectorAsync(second));
        Assert.Equal(2, provider.Calls);
    }

    [Fact]
    public async Task StopAsync_AfterStopping_RefusesNewConnections()
    {
        await using ServerHost host = await ServerHost.StartAsync(ServedFakes.Provider());

        await host.StopAsync();

        using var fresh = new HttpClient { BaseAddress = host.BaseUrl };
        await Assert.ThrowsAsync<HttpRequestException>(() => fresh.GetAsync("health", TestContext.Current.CancellationToken));
    }
}
