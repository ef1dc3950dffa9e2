using System.Net;
using Embeddings.AspNetCore.TestSupport;
using Embeddings.TestSupport;

namespace Embeddings.AspNetCore;

/// <summary>Dynamic batching over real HTTP: merging, isolation of bad inputs, back-pressure and cancellation.</summary>
public sealed class DynamicBatchingTests(ITestOutputHelper output)
{
    [Fact]
    public async Task ConcurrentRequests_AreMergedIntoFewerCalls_WithTheVectorsOfOneByOneRequests()
    {
        const int Requests = 16;
        TestEmbeddingProvider provider = ServedFakes.Provider();
        provider.OnCall = (_, ct) => Task.Delay(50, ct);
        await using ServerHost host = await ServerHost.StartAsync(provider, o => o.MaxConcurrentBatches = 1);
        using var meters = new ServerMeters(host.App.Services);
        string[] prompts = ["query", "document"];
        string Body(int i) => $$"""{"query": "text number {{i}}", "prompt_name": "{{prompts[i % 2]}}"}""";

        var oneByOne = new float[Requests][];
        for (int i = 0; i < Requests; i++)
        {
            using HttpResponseMessage response = await HttpJson.PostAsync(host.Client, "predict", Body(i));
            oneByOne[i] = await HttpJson.ReadVectorAsync(response);
        }

        Assert.Equal(Requests, provider.Calls);
        float[][] concurrent = await Task.WhenAll(Enumerable.Range(0, Requests).Select(async i =>
        {
            using HttpResponseMessage response = await HttpJson.PostAsync(host.Client, "predict", Body(i));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return await HttpJson.ReadVectorAsync(response);
        }));

        int calls = provider.Calls - Requests;
        output.WriteLine($"{Requests} concurrent requests -> {calls} provider calls: {string.Join(", ", provider.Batches.Skip(Requests).Select(b => b.Count))} inputs");
        Assert.True(calls < Requests, $"{calls} calls for {Requests} concurrent requests");
        Assert.Contains(provider.Batches.Skip(Requests), batch => batch.Count > 1);
        Assert.Equal(provider.Batches.Select(b => b.Count), meters.BatchSizes);
        for (int i = 0; i < Requests; i++)
        {
            // Merged calls carry one prompt each: a request merged with the other prompt would get another vector.
            Assert.Equal(oneByOne[i], concurrent[i]);
            Assert.Equal(ServedFakes.Text($"text number {i}", prompts[i % 2]), concurrent[i]);
        }
    }

    [Fact]
    public async Task BadInputInASharedCall_FailsOnlyItsOwnRequest()
    {
        using var gate = new SemaphoreSlim(0);
        TestEmbeddingProvider provider = ServedFakes.Provider();
        provider.OnCall = (inputs, _) => inputs[0].Text == "blocker" ? gate.WaitAsync(TestContext.Current.CancellationToken) : Task.CompletedTask;
        provider.EmbedOne = (input, options) => input.Text == "bad"
            ? EmbeddingResult.Failure(new EmbeddingInputException(EmbeddingInputError.Invalid, input.ToString(), "is not embeddable"), "test")
            : EmbeddingResult.Success(new Microsoft.Extensions.AI.Embedding<float>(OptionAwareVectors.For(ServedFakes.GemmaLike, input, options)), "test");
        await using ServerHost host = await ServerHost.StartAsync(provider, o => o.MaxConcurrentBatches = 1);
        using var meters = new ServerMeters(host.App.Services);

        Task<HttpResponseMessage> blocker = HttpJson.PostAsync(host.Client, "predict", """{"query": "blocker"}""");
        await ProviderCalls.WaitForAsync(provider);

        string[] texts = ["one", "bad", "three", "four"];
        Task<HttpResponseMessage>[] requests = [.. texts.Select(t => HttpJson.PostAsync(host.Client, "predict", $$"""{"query": ["{{t}}"]}"""))];
        await meters.WaitForQueuedAsync(texts.Length);
        gate.Release();
        HttpResponseMessage[] responses = await Task.WhenAll(requests);
        (await blocker).Dispose();

        Assert.Equal(2, provider.Calls);
        Assert.Equal(texts.Length, provider.Batches[1].Count);
        for (int i = 0; i < texts.Length; i++)
        {
            using HttpResponseMessage response = responses[i];
            if (texts[i] == "bad")
            {
                Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
                Assert.Contains("query[0]", (await HttpJson.ReadErrorAsync(response)).Message, StringComparison.Ordinal);
            }
            else
            {
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                Assert.Equal([ServedFakes.Text(texts[i], "query")], await HttpJson.ReadVectorsAsync(response));
            }
        }
    }

    [Fact]
    public async Task FullQueue_Returns429WithRetryAfter_AndQueuedWorkStillCompletes()
    {
        using var gate = new SemaphoreSlim(0);
        TestEmbeddingProvider provider = ServedFakes.Provider();
        provider.OnCall = (inputs, _) => inputs[0].Text == "blocker" ? gate.WaitAsync(TestContext.Current.CancellationToken) : Task.CompletedTask;
        await using ServerHost host = await ServerHost.StartAsync(provider, o =>
        {
            o.MaxConcurrentBatches = 1;
            o.MaxInputsPerRequest = 4;
            o.MaxQueuedInputs = 4;
        });
        using var meters = new ServerMeters(host.App.Services);

        Task<HttpResponseMessage> blocker = HttpJson.PostAsync(host.Client, "predict", """{"query": "blocker"}""");
        await ProviderCalls.WaitForAsync(provider);

        Task<HttpResponseMessage> queued = HttpJson.PostAsync(host.Client, "predict", """["a", "b", "c", "d"]""");
        await meters.WaitForQueuedAsync(4);
        using HttpResponseMessage refused = await HttpJson.PostAsync(host.Client, "predict", """{"query": "one too many"}""");

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.NotNull(refused.Headers.RetryAfter?.Delta);
        Assert.InRange(refused.Headers.RetryAfter!.Delta!.Value.TotalSeconds, 1, 60);
        Assert.Equal("Overloaded", (await HttpJson.ReadErrorAsync(refused)).Type);
        Assert.Equal(1, meters.Rejections("queue_full"));

        gate.Release();
        using HttpResponseMessage first = await blocker;
        using HttpResponseMessage second = await queued;
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(4, (await HttpJson.ReadVectorsAsync(second)).Length);
    }

    [Fact]
    public async Task QueuedRequest_ClientGivesUp_LeavesTheQueueAndIsNeverEmbedded()
    {
        using var gate = new SemaphoreSlim(0);
        TestEmbeddingProvider provider = ServedFakes.Provider();
        provider.OnCall = (inputs, _) => inputs[0].Text == "blocker" ? gate.WaitAsync(TestContext.Current.CancellationToken) : Task.CompletedTask;
        await using ServerHost host = await ServerHost.StartAsync(provider, o => o.MaxConcurrentBatches = 1);
        using var meters = new ServerMeters(host.App.Services);

        Task<HttpResponseMessage> blocker = HttpJson.PostAsync(host.Client, "predict", """{"query": "blocker"}""");
        await ProviderCalls.WaitForAsync(provider);

        using AbortingClient abandoned = await AbortingClient.SendAsync(host.BaseUrl, "predict", """{"query": ["abandoned", "too"]}""");
        await meters.WaitForQueuedAsync(2);
        abandoned.Reset();
        await meters.WaitForQueuedAsync(0);

        gate.Release();
        (await blocker).Dispose();
        using HttpResponseMessage after = await HttpJson.PostAsync(host.Client, "predict", """{"query": "after"}""");

        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.DoesNotContain(provider.Batches.SelectMany(b => b), i => i.Text == "abandoned");
    }

    [Fact]
    public async Task RunningCall_EveryClientGivesUp_CancelsTheProviderCall()
    {
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        TestEmbeddingProvider provider = ServedFakes.Provider();
        provider.OnCall = async (_, ct) =>
        {
            try
            {
                await Task.Delay(Timeout.Infinite, ct);
            }
            catch (OperationCanceledException)
            {
                cancelled.TrySetResult();
                throw;
            }
        };
        await using ServerHost host = await ServerHost.StartAsync(provider);

        using AbortingClient request = await AbortingClient.SendAsync(host.BaseUrl, "predict", """{"query": "slow"}""");
        await ProviderCalls.WaitForAsync(provider);

        request.Reset();

        await cancelled.Task.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
    }
}
