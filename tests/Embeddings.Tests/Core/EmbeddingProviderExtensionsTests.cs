using Embeddings.TestSupport;
using Microsoft.Extensions.AI;

namespace Embeddings.Core;

public sealed class EmbeddingProviderExtensionsTests
{
    [Fact]
    public async Task EmbedTextAsync_FailedInput_ThrowsItsError()
    {
        var error = new EmbeddingInputException(EmbeddingInputError.Invalid, "text (1 characters)", "refused");
        using var provider = new TestEmbeddingProvider { EmbedOne = (_, _) => EmbeddingResult.Failure(error, "test") };

        var thrown = await Assert.ThrowsAsync<EmbeddingInputException>(() => provider.EmbedTextAsync("x", cancellationToken: TestContext.Current.CancellationToken));

        Assert.Same(error, thrown);
    }

    [Fact]
    public async Task EmbedStreamAsync_YieldsEveryResultInOrder_WithBoundedBatches()
    {
        using var provider = new TestEmbeddingProvider();
        string[] texts = [.. Enumerable.Range(0, 103).Select(i => new string('a', i))];

        var results = new List<EmbeddingResult>();
        await foreach (EmbeddingResult r in provider.EmbedStreamAsync(ToAsync(texts), batchSize: 10, cancellationToken: TestContext.Current.CancellationToken))
        {
            results.Add(r);
        }

        Assert.Equal(texts.Length, results.Count);
        for (int i = 0; i < texts.Length; i++)
        {
            Assert.Equal(i, results[i].Vector.Span[0]);
        }

        Assert.Equal(11, provider.Calls);
        Assert.All(provider.Batches, b => Assert.InRange(b.Count, 1, 10));
    }

    [Fact]
    public async Task EmbedStreamAsync_ReadsAheadAtMostOneBatch()
    {
        var gate = new TaskCompletionSource();
        using var provider = new TestEmbeddingProvider { OnCall = (_, _) => gate.Task };
        int produced = 0;

        async IAsyncEnumerable<EmbeddingInput> Source()
        {
            for (int i = 0; i < 1000; i++)
            {
                Interlocked.Increment(ref produced);
                yield return EmbeddingInput.FromText("t");
                await Task.Yield();
            }
        }

        await using IAsyncEnumerator<EmbeddingResult> e = provider.EmbedStreamAsync(Source(), batchSize: 5, cancellationToken: TestContext.Current.CancellationToken).GetAsyncEnumerator(TestContext.Current.CancellationToken);
        ValueTask<bool> first = e.MoveNextAsync();

        // The first batch is being embedded (blocked); the second is read meanwhile (however slow the machine); then
        // nothing more, however long the first takes.
        for (var waited = System.Diagnostics.Stopwatch.StartNew(); Volatile.Read(ref produced) < 10 && waited.Elapsed < TimeSpan.FromSeconds(10);)
        {
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }

        await Task.Delay(200, TestContext.Current.CancellationToken);
        Assert.False(first.IsCompleted);
        Assert.Equal(10, Volatile.Read(ref produced));
        gate.SetResult();
        Assert.True(await first);
    }

    [Fact]
    public async Task AsEmbeddingGenerator_MapsOptionsAndMetadata()
    {
        EmbeddingRequestOptions? seen = null;
        using var provider = new TestEmbeddingProvider
        {
            EmbedOne = (input, options) =>
            {
                seen = options;
                return EmbeddingResult.Success(new Embedding<float>(new float[] { 1, 2 }), "test");
            },
        };
        using IEmbeddingGenerator<string, Embedding<float>> generator = provider.AsEmbeddingGenerator();

        var options = new EmbeddingGenerationOptions
        {
            Dimensions = 256,
            AdditionalProperties = new() { ["prompt_name"] = "query", ["normalize"] = false },
        };
        GeneratedEmbeddings<Embedding<float>> result = await generator.GenerateAsync(["a", "b"], options, TestContext.Current.CancellationToken);

        Assert.Equal(2, result.Count);
        Assert.Equal(256, seen!.Dimensions);
        Assert.Equal("query", seen.PromptName);
        Assert.False(seen.Normalize);
        EmbeddingGeneratorMetadata metadata = generator.GetRequiredService<EmbeddingGeneratorMetadata>();
        Assert.Equal("test-model", metadata.DefaultModelId);
        Assert.Equal(4, metadata.DefaultModelDimensions);
        Assert.Same(provider, generator.GetService<TestEmbeddingProvider>());
    }

    [Fact]
    public async Task AsImageEmbeddingGenerator_PassesBytesAndRefusesNonImages()
    {
        EmbeddingInput? seen = null;
        using var provider = new TestEmbeddingProvider
        {
            EmbedOne = (input, _) =>
            {
                seen = input;
                return EmbeddingResult.Success(new Embedding<float>(new float[] { 1 }), "test");
            },
        };
        using IEmbeddingGenerator<DataContent, Embedding<float>> generator = provider.AsImageEmbeddingGenerator();

        await generator.GenerateAsync([new DataContent(new byte[] { 9, 8, 7 }, "image/png")], cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(EmbeddingInputKind.ImageBytes, seen!.Kind);
        Assert.Equal(new byte[] { 9, 8, 7 }, seen.ImageBytes.ToArray());
        await Assert.ThrowsAsync<ArgumentException>(() =>
            generator.GenerateAsync([new DataContent(new byte[] { 1 }, "text/plain")], cancellationToken: TestContext.Current.CancellationToken));
    }

    [Fact]
    public void AsEmbeddingGenerator_DisposeDisposesTheProvider()
    {
        var provider = new TestEmbeddingProvider();

        provider.AsEmbeddingGenerator().Dispose();

        Assert.True(provider.Disposed);
    }

    private static async IAsyncEnumerable<EmbeddingInput> ToAsync(IEnumerable<string> texts)
    {
        foreach (string t in texts)
        {
            await Task.Yield();
            yield return EmbeddingInput.FromText(t);
        }
    }
}
