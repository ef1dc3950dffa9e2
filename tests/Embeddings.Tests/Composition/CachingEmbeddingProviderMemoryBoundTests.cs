using Embeddings.TestSupport;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Caching.Memory;

namespace Embeddings.Composition;

/// <summary>The memory bound, measured alone: managed-heap figures would include other tests' objects if they ran
/// alongside.</summary>
[Collection(nameof(CachingEmbeddingProviderMemoryBoundTests))]
[CollectionDefinition(nameof(CachingEmbeddingProviderMemoryBoundTests), DisableParallelization = true)]
public sealed class CachingEmbeddingProviderMemoryBoundTests(ITestOutputHelper output)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task WithMemoryCache_ManyVectors_StaysWithinSizeLimit()
    {
        const long limit = 4L * 1024 * 1024;
        using var inner = new TestEmbeddingProvider(new EmbeddingProviderMetadata("test", "m", 768, EmbeddingModalities.Text))
        {
            EmbedOne = (input, _) => EmbeddingResult.Success(new Embedding<float>(new float[768]), "test"),
        };
        using CachingEmbeddingProvider cached = inner.WithMemoryCache(new EmbeddingCacheOptions { MemorySizeLimitBytes = limit });
        var cache = (MemoryCache)cached.OwnedCache!;
        long heapBefore = GC.GetTotalMemory(forceFullCollection: true);
        long rssBefore = Environment.WorkingSet;

        // 10,000 vectors of 3 KB: about 33 MB if nothing were evicted.
        for (int batch = 0; batch < 100; batch++)
        {
            await cached.EmbedAsync([.. Enumerable.Range(0, 100).Select(i => EmbeddingInput.FromText($"text {batch} {i}"))], cancellationToken: Ct);
            lock (inner.Batches)
            {
                inner.Batches.Clear(); // The fake's record of inputs is not the cache's memory.
            }
        }

        long heapAfter = GC.GetTotalMemory(forceFullCollection: true);
        long rssAfter = Environment.WorkingSet;
        MemoryCacheStatistics statistics = cache.GetCurrentStatistics()!;
        output.WriteLine($"entries {statistics.CurrentEntryCount}, estimated size {statistics.CurrentEstimatedSize} of {limit}");
        output.WriteLine($"managed heap {heapBefore / 1024} KiB -> {heapAfter / 1024} KiB; RSS {rssBefore / 1024} KiB -> {rssAfter / 1024} KiB");

        Assert.InRange(statistics.CurrentEstimatedSize!.Value, 1, limit);
        Assert.InRange(statistics.CurrentEntryCount, 1, 2000);
        Assert.InRange(heapAfter - heapBefore, long.MinValue, limit + (limit / 2));
    }
}
