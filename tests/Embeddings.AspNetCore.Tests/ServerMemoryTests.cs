using System.Net;
using Embeddings.AspNetCore.TestSupport;
using Embeddings.TestSupport;
using Microsoft.Extensions.AI;

namespace Embeddings.AspNetCore;

/// <summary>Memory stays flat under sustained load: request buffers are pooled and returned, queue entries and
/// cancellation registrations do not accumulate.</summary>
[Collection(typeof(IsolatedCollection))]
public sealed class ServerMemoryTests(ITestOutputHelper output)
{
    [Fact]
    public async Task ManyRequests_IncludingRefusedAndAbandonedOnes_LeaveTheHeapFlat()
    {
        // Not the recording test fake: it keeps every input it was given.
        using var provider = new StatelessProvider();
        await using ServerHost host = await ServerHost.StartAsync(provider, o => o.MaxInputsPerRequest = 64);
        string body = $$"""{"query": [{{string.Join(", ", Enumerable.Range(0, 32).Select(i => $"\"text {i} {new string('x', 200)}\""))}}]}""";

        await LoadAsync(host, body, 300);
        long heapBefore = Heap();
        long rssBefore = Environment.WorkingSet;
        await LoadAsync(host, body, 1500);
        long heapAfter = Heap();
        long rssAfter = Environment.WorkingSet;

        output.WriteLine($"managed heap: {heapBefore / 1024} KiB before, {heapAfter / 1024} KiB after 1500 more requests (+{(heapAfter - heapBefore) / 1024} KiB)");
        output.WriteLine($"RSS: {rssBefore / (1024 * 1024)} MiB before, {rssAfter / (1024 * 1024)} MiB after");
        Assert.InRange(heapAfter - heapBefore, long.MinValue, 4L * 1024 * 1024);
        Assert.InRange(rssAfter - rssBefore, long.MinValue, 64L * 1024 * 1024);
    }

    private static async Task LoadAsync(ServerHost host, string body, int requests)
    {
        // Eight workers; every tenth request is refused (bad token) and every tenth is abandoned by a reset.
        int next = -1;
        await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            for (int i = Interlocked.Increment(ref next); i < requests; i = Interlocked.Increment(ref next))
            {
                if (i % 10 == 3)
                {
                    using HttpResponseMessage refused = await HttpJson.PostAsync(host.Anonymous, "predict", body);
                    Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
                }
                else if (i % 10 == 7)
                {
                    using AbortingClient abandoned = await AbortingClient.SendAsync(host.BaseUrl, "predict", body);
                    abandoned.Reset();
                }
                else
                {
                    using HttpResponseMessage response = await HttpJson.PostAsync(host.Client, "predict", body);
                    Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                    await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken);
                }
            }
        }));
    }

    private static long Heap()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    /// <summary>A provider that keeps nothing between calls.</summary>
    private sealed class StatelessProvider : IEmbeddingProvider
    {
        public EmbeddingProviderMetadata Metadata => ServedFakes.GemmaLike;

        public Task<IReadOnlyList<EmbeddingResult>> EmbedAsync(
            IReadOnlyList<EmbeddingInput> inputs, EmbeddingRequestOptions? options = null, CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<EmbeddingResult>>(
                [.. inputs.Select(i => EmbeddingResult.Success(new Embedding<float>(OptionAwareVectors.For(Metadata, i, options)), "test"))]);

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
