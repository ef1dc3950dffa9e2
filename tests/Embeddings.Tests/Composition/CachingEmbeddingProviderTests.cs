using System.Diagnostics;
using Embeddings.TestSupport;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Logging;

namespace Embeddings.Composition;

public sealed class CachingEmbeddingProviderTests(ITestOutputHelper output)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task EmbedAsync_RepeatedText_ServedFromCacheWithoutInnerCall()
    {
        using TestEmbeddingProvider inner = OptionAwareVectors.Provider();
        using var metrics = new RecordingMeterFactory();
        using CachingEmbeddingProvider cached = inner.WithMemoryCache(meterFactory: metrics);

        IReadOnlyList<EmbeddingResult> first = await cached.EmbedAsync(["a cat on a mat"], cancellationToken: Ct);
        IReadOnlyList<EmbeddingResult> second = await cached.EmbedAsync(["a cat on a mat"], cancellationToken: Ct);

        Assert.Equal(1, inner.Calls);
        float[] expected = OptionAwareVectors.For(inner.Metadata, "a cat on a mat", null);
        Assert.Equal(expected, first[0].Vector.ToArray());
        Assert.Equal(expected, second[0].Vector.ToArray());
        Assert.Equal("test", first[0].ProviderName);
        Assert.Equal(CachingEmbeddingProvider.HitProviderName, second[0].ProviderName);
        Assert.Equal("test-model", second[0].Embedding!.ModelId);
        Assert.Equal(1, metrics.Sum(EmbeddingCacheMetrics.HitsName, (EmbeddingCacheMetrics.BackendTag, "memory")));
        Assert.Equal(1, metrics.Sum(EmbeddingCacheMetrics.MissesName, (EmbeddingCacheMetrics.BackendTag, "memory")));
        Assert.Equal(expected.Length * 4, metrics.Sum(EmbeddingCacheMetrics.ValueBytesName, (EmbeddingCacheMetrics.OperationTag, "write")));
        Assert.Equal(expected.Length * 4, metrics.Sum(EmbeddingCacheMetrics.ValueBytesName, (EmbeddingCacheMetrics.OperationTag, "read")));
        Assert.All(metrics.Measurements, m => Assert.Equal(Diagnostics.EmbeddingsDiagnostics.MeterName, m.Meter));
    }

    public static TheoryData<string, EmbeddingRequestOptions?> ChangedOptions => new()
    {
        { "dimensions", new EmbeddingRequestOptions { Dimensions = 4 } },
        { "prompt", new EmbeddingRequestOptions { PromptName = "query" } },
        { "other prompt", new EmbeddingRequestOptions { PromptName = "document" } },
        { "raw", new EmbeddingRequestOptions { Normalize = false } },
        { "all", new EmbeddingRequestOptions { Dimensions = 2, PromptName = "query", Normalize = false } },
    };

    [Theory]
    [MemberData(nameof(ChangedOptions))]
    public async Task EmbedAsync_ChangedOption_NeverReturnsCachedVector(string name, EmbeddingRequestOptions? options)
    {
        using TestEmbeddingProvider inner = OptionAwareVectors.Provider();
        using CachingEmbeddingProvider cached = inner.WithMemoryCache();
        await cached.EmbedAsync(["text"], cancellationToken: Ct);

        IReadOnlyList<EmbeddingResult> changed = await cached.EmbedAsync(["text"], options, Ct);
        IReadOnlyList<EmbeddingResult> again = await cached.EmbedAsync(["text"], options, Ct);

        Assert.True(inner.Calls == 2, name);
        float[] expected = OptionAwareVectors.For(inner.Metadata, "text", options);
        Assert.Equal(expected, changed[0].Vector.ToArray());
        Assert.Equal(expected, again[0].Vector.ToArray());
        Assert.Equal(CachingEmbeddingProvider.HitProviderName, again[0].ProviderName);
    }

    [Fact]
    public async Task EmbedAsync_DefaultsSpelledOut_ShareTheDefaultEntry()
    {
        using TestEmbeddingProvider inner = OptionAwareVectors.Provider(dimensions: 8);
        using CachingEmbeddingProvider cached = inner.WithMemoryCache();
        await cached.EmbedAsync(["text"], cancellationToken: Ct);

        IReadOnlyList<EmbeddingResult> explicitDefaults = await cached.EmbedAsync(
            ["text"], new EmbeddingRequestOptions { Dimensions = 8, Normalize = true }, Ct);

        Assert.Equal(1, inner.Calls);
        Assert.Equal(CachingEmbeddingProvider.HitProviderName, explicitDefaults[0].ProviderName);
    }

    [Fact]
    public async Task EmbedAsync_OtherModelOrRevisionOnOneCache_ComputesItsOwnVectors()
    {
        using var shared = new MemoryCache(new MemoryCacheOptions());
        TestEmbeddingProvider[] inners =
        [
            OptionAwareVectors.Provider("model-a"),
            OptionAwareVectors.Provider("model-a", revision: "r1"),
            OptionAwareVectors.Provider("model-a", revision: "r2"),
            OptionAwareVectors.Provider("model-b"),
        ];

        foreach (TestEmbeddingProvider inner in inners)
        {
            using CachingEmbeddingProvider cached = inner.WithCache(shared);
            IReadOnlyList<EmbeddingResult> first = await cached.EmbedAsync(["same text"], cancellationToken: Ct);
            IReadOnlyList<EmbeddingResult> second = await cached.EmbedAsync(["same text"], cancellationToken: Ct);

            Assert.Equal(1, inner.Calls);
            float[] expected = OptionAwareVectors.For(inner.Metadata, "same text", null);
            Assert.Equal(expected, first[0].Vector.ToArray());
            Assert.Equal(expected, second[0].Vector.ToArray());
        }
    }

    [Fact]
    public async Task EmbedAsync_SameBytesAsTextImageAndPixels_KeptApart()
    {
        using TestEmbeddingProvider inner = OptionAwareVectors.Provider();
        using CachingEmbeddingProvider cached = inner.WithMemoryCache();
        byte[] bytes = "abcdef"u8.ToArray();
        EmbeddingInput[] inputs =
        [
            EmbeddingInput.FromText("abcdef"),
            EmbeddingInput.FromImage(bytes),
            EmbeddingInput.FromPixels(new RgbImage(2, 1, bytes)),
            EmbeddingInput.FromPixels(new RgbImage(1, 2, bytes)),
        ];

        IReadOnlyList<EmbeddingResult> results = await cached.EmbedAsync(inputs, cancellationToken: Ct);

        Assert.Equal(4, inner.Batches[0].Count);
        for (int i = 0; i < inputs.Length; i++)
        {
            Assert.Equal(OptionAwareVectors.For(inner.Metadata, inputs[i], null), results[i].Vector.ToArray());
        }

        Assert.Equal(4, inputs.Select(i => cached.GetKey(i)).Distinct().Count());
    }

    [Fact]
    public async Task EmbedAsync_ImageWithPromptName_SharesTheImageEntry()
    {
        // Prompts apply to texts only, so an image's vector does not depend on one.
        using TestEmbeddingProvider inner = OptionAwareVectors.Provider();
        using CachingEmbeddingProvider cached = inner.WithMemoryCache();
        var image = EmbeddingInput.FromImage(new byte[] { 1, 2, 3 });
        await cached.EmbedAsync([image], cancellationToken: Ct);

        IReadOnlyList<EmbeddingResult> withPrompt = await cached.EmbedAsync([image], new EmbeddingRequestOptions { PromptName = "query" }, Ct);

        Assert.Equal(1, inner.Calls);
        Assert.Equal(OptionAwareVectors.For(inner.Metadata, image, null), withPrompt[0].Vector.ToArray());
    }

    [Fact]
    public async Task EmbedAsync_UndeclaredPromptOrTooManyDimensions_GoesToInnerProviderToRefuse()
    {
        using TestEmbeddingProvider inner = OptionAwareVectors.Provider(dimensions: 8);
        Func<EmbeddingInput, EmbeddingRequestOptions?, EmbeddingResult> embed = inner.EmbedOne!;
        inner.EmbedOne = (input, options) => options is { PromptName: "bogus" } or { Dimensions: > 8 }
            ? throw new ArgumentException("The model does not support these options.", nameof(options))
            : embed(input, options);
        using CachingEmbeddingProvider cached = inner.WithMemoryCache();
        var image = EmbeddingInput.FromImage(new byte[] { 1, 2, 3 });
        await cached.EmbedAsync([image, "text"], cancellationToken: Ct);

        // A hit would have answered the image (its key ignores prompts); the provider must be asked to refuse.
        await Assert.ThrowsAsync<ArgumentException>(() => cached.EmbedAsync([image], new EmbeddingRequestOptions { PromptName = "bogus" }, Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => cached.EmbedAsync(["text"], new EmbeddingRequestOptions { Dimensions = 16 }, Ct));
        Assert.Equal(3, inner.Calls);
    }

    [Fact]
    public async Task EmbedAsync_Batch_LooksUpAllAndComputesOnlyMissesInOneCallInOrder()
    {
        using TestEmbeddingProvider inner = OptionAwareVectors.Provider();
        using CachingEmbeddingProvider cached = inner.WithMemoryCache();
        await cached.EmbedAsync(["a", "b", "c"], cancellationToken: Ct);

        string[] texts = ["x", "a", "y", "b", "x", "c", "z"];
        IReadOnlyList<EmbeddingResult> results = await cached.EmbedAsync(texts, cancellationToken: Ct);

        Assert.Equal(2, inner.Calls);
        Assert.Equal(new[] { "x", "y", "z" }, inner.Batches[1].Select(i => i.Text));
        for (int i = 0; i < texts.Length; i++)
        {
            Assert.Equal(OptionAwareVectors.For(inner.Metadata, texts[i], null), results[i].Vector.ToArray());
        }

        Assert.Equal(
            new[] { "test", "cache", "test", "cache", "test", "cache", "test" },
            results.Select(r => r.ProviderName));
    }

    [Fact]
    public async Task EmbedAsync_FailedItem_NotCachedAndTheRestServed()
    {
        using TestEmbeddingProvider inner = OptionAwareVectors.Provider();
        Func<EmbeddingInput, EmbeddingRequestOptions?, EmbeddingResult> embed = inner.EmbedOne!;
        inner.EmbedOne = (input, options) => input.Text == "bad"
            ? EmbeddingResult.Failure(new EmbeddingInputException(EmbeddingInputError.Invalid, input.ToString(), "refused"), "test")
            : embed(input, options);
        using CachingEmbeddingProvider cached = inner.WithMemoryCache();

        IReadOnlyList<EmbeddingResult> first = await cached.EmbedAsync(["good", "bad"], cancellationToken: Ct);
        IReadOnlyList<EmbeddingResult> second = await cached.EmbedAsync(["good", "bad"], cancellationToken: Ct);

        Assert.True(first[0].Succeeded);
        Assert.IsType<EmbeddingInputException>(first[1].Error);
        Assert.Equal(CachingEmbeddingProvider.HitProviderName, second[0].ProviderName);
        Assert.IsType<EmbeddingInputException>(second[1].Error);
        Assert.Equal(new[] { "bad" }, inner.Batches[1].Select(i => i.Text));
    }

    [Fact]
    public async Task EmbedAsync_ImageFile_ReadOnceAndPassedOnAsBytes()
    {
        string path = TestAssets.AllImages().First(f => f.EndsWith(".jpg", StringComparison.OrdinalIgnoreCase));
        byte[] content = await File.ReadAllBytesAsync(path, Ct);
        using TestEmbeddingProvider inner = OptionAwareVectors.Provider();
        using CachingEmbeddingProvider cached = inner.WithMemoryCache();

        IReadOnlyList<EmbeddingResult> first = await cached.EmbedAsync([EmbeddingInput.FromImageFile(path)], cancellationToken: Ct);
        IReadOnlyList<EmbeddingResult> asBytes = await cached.EmbedAsync([EmbeddingInput.FromImage(content)], cancellationToken: Ct);

        EmbeddingInput passed = Assert.Single(inner.Batches[0]);
        Assert.Equal(EmbeddingInputKind.ImageBytes, passed.Kind);
        Assert.Equal(content, passed.ImageBytes.ToArray());
        Assert.Equal(path, passed.Name);
        Assert.Equal(1, inner.Calls);
        Assert.Equal(first[0].Vector.ToArray(), asBytes[0].Vector.ToArray());
        Assert.Equal(CachingEmbeddingProvider.HitProviderName, asBytes[0].ProviderName);
    }

    [Fact]
    public async Task EmbedAsync_FileOverHashingLimitOrMissing_PassedOnUnchanged()
    {
        string path = TestAssets.AllImages().First(f => new FileInfo(f).Length > 1024);
        string missing = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N") + ".jpg");
        using TestEmbeddingProvider inner = OptionAwareVectors.Provider();
        Func<EmbeddingInput, EmbeddingRequestOptions?, EmbeddingResult> embed = inner.EmbedOne!;
        inner.EmbedOne = (input, options) => input.FilePath == missing
            ? EmbeddingResult.Failure(new EmbeddingInputException(EmbeddingInputError.Unreadable, input.ToString(), "not found"), "test")
            : embed(input, options);
        using CachingEmbeddingProvider cached = inner.WithMemoryCache(new EmbeddingCacheOptions { MaxInputBytes = 1024 });

        IReadOnlyList<EmbeddingResult> results = await cached.EmbedAsync(
            [EmbeddingInput.FromImageFile(path), EmbeddingInput.FromImageFile(missing)], cancellationToken: Ct);
        await cached.EmbedAsync([EmbeddingInput.FromImageFile(path)], cancellationToken: Ct);

        Assert.All(inner.Batches[0], i => Assert.Equal(EmbeddingInputKind.ImageFile, i.Kind));
        Assert.Equal(OptionAwareVectors.For(inner.Metadata, EmbeddingInput.FromImageFile(path), null), results[0].Vector.ToArray());
        Assert.Equal(EmbeddingInputError.Unreadable, Assert.IsType<EmbeddingInputException>(results[1].Error).Reason);
        Assert.Equal(2, inner.Calls); // Over the limit: never cached.
    }

    [Fact]
    public async Task EmbedAsync_Stream_ReadOnceAndPassedOnAsBytes()
    {
        byte[] content = RandomBytes(100_000, seed: 1);
        using TestEmbeddingProvider inner = OptionAwareVectors.Provider();
        using CachingEmbeddingProvider cached = inner.WithMemoryCache();
        using var stream = new CountingStream(content, seekable: false);

        IReadOnlyList<EmbeddingResult> results = await cached.EmbedAsync([EmbeddingInput.FromImage(stream, "upload")], cancellationToken: Ct);

        Assert.Equal(content.Length, stream.BytesRead);
        EmbeddingInput passed = Assert.Single(inner.Batches[0]);
        Assert.Equal(EmbeddingInputKind.ImageBytes, passed.Kind);
        Assert.Equal("upload", passed.Name);
        Assert.Equal(OptionAwareVectors.For(inner.Metadata, EmbeddingInput.FromImage(content), null), results[0].Vector.ToArray());
    }

    [Fact]
    public async Task EmbedAsync_UnseekableStreamOverLimit_PassedOnWholeWithoutReadingTwice()
    {
        byte[] content = RandomBytes(300_000, seed: 2);
        using TestEmbeddingProvider inner = OptionAwareVectors.Provider();
        using CachingEmbeddingProvider cached = inner.WithMemoryCache(new EmbeddingCacheOptions { MaxInputBytes = 100_000 });
        using var stream = new CountingStream(content, seekable: false);

        IReadOnlyList<EmbeddingResult> results = await cached.EmbedAsync([EmbeddingInput.FromImage(stream)], cancellationToken: Ct);

        // The fake provider read the whole stream it was given: what the cache had read, then the rest.
        Assert.Equal(content.Length, stream.BytesRead);
        Assert.Equal(EmbeddingInputKind.ImageStream, inner.Batches[0][0].Kind);
        Assert.Equal(OptionAwareVectors.For(inner.Metadata, EmbeddingInput.FromImage(content), null), results[0].Vector.ToArray());
    }

    [Fact]
    public async Task EmbedAsync_SeekableStreamOverLimit_PassedOnUnread()
    {
        byte[] content = RandomBytes(300_000, seed: 3);
        EmbeddingInput? passed = null;
        long positionSeen = -1;
        using var inner = new TestEmbeddingProvider
        {
            EmbedOne = (input, _) =>
            {
                passed = input;
                positionSeen = input.ImageStream!.Position;
                return EmbeddingResult.Success(new Embedding<float>(new float[] { 1, 2, 3, 4 }), "test");
            },
        };
        using CachingEmbeddingProvider cached = inner.WithMemoryCache(new EmbeddingCacheOptions { MaxInputBytes = 100_000 });
        using var stream = new CountingStream(content, seekable: true);
        stream.Position = 10;
        var input = EmbeddingInput.FromImage(stream);

        await cached.EmbedAsync([input], cancellationToken: Ct);

        Assert.Same(input, passed);
        Assert.Equal(10, positionSeen);
        Assert.Equal(0, stream.BytesRead);
    }

    [Fact]
    public async Task EmbedAsync_UnreadableStream_FailsThatItemOnly()
    {
        using TestEmbeddingProvider inner = OptionAwareVectors.Provider();
        using CachingEmbeddingProvider cached = inner.WithMemoryCache();
        using var broken = new CountingStream(RandomBytes(10, seed: 4), seekable: false) { FailAfter = 0 };

        IReadOnlyList<EmbeddingResult> results = await cached.EmbedAsync(
            ["before", EmbeddingInput.FromImage(broken, "broken upload"), "after"], cancellationToken: Ct);

        Assert.True(results[0].Succeeded);
        var error = Assert.IsType<EmbeddingInputException>(results[1].Error);
        Assert.Equal(EmbeddingInputError.Unreadable, error.Reason);
        Assert.Contains("broken upload", error.Message, StringComparison.Ordinal);
        Assert.True(results[2].Succeeded);
        Assert.Equal(new[] { "before", "after" }, inner.Batches[0].Select(i => i.Text));
    }

    [Fact]
    public async Task EmbedAsync_32ConcurrentCallers_InnerCalledOnce()
    {
        int started = 0;
        var allStarted = new TaskCompletionSource();
        using TestEmbeddingProvider inner = OptionAwareVectors.Provider();
        inner.OnCall = async (_, ct) =>
        {
            await allStarted.Task.WaitAsync(ct);
            await Task.Delay(50, ct); // Give late callers time to find the computation running.
        };
        using CachingEmbeddingProvider cached = inner.WithMemoryCache();

        Task<IReadOnlyList<EmbeddingResult>>[] callers = [.. Enumerable.Range(0, 32).Select(_ => Task.Run(() =>
        {
            if (Interlocked.Increment(ref started) == 32)
            {
                allStarted.SetResult();
            }

            return cached.EmbedAsync(["popular query"], cancellationToken: Ct);
        }))];
        IReadOnlyList<EmbeddingResult>[] results = await Task.WhenAll(callers);

        Assert.Equal(1, inner.Calls);
        float[] expected = OptionAwareVectors.For(inner.Metadata, "popular query", null);
        Assert.All(results, r => Assert.Equal(expected, r[0].Vector.ToArray()));
    }

    [Fact]
    public async Task EmbedAsync_LeaderCancelled_FollowersComputeThemselves()
    {
        var leaderEntered = new TaskCompletionSource();
        using TestEmbeddingProvider inner = OptionAwareVectors.Provider();
        inner.OnCall = async (_, ct) =>
        {
            if (inner.Calls == 1)
            {
                leaderEntered.SetResult();
                await Task.Delay(Timeout.Infinite, ct);
            }
        };
        using CachingEmbeddingProvider cached = inner.WithMemoryCache();
        using var leaderCancellation = CancellationTokenSource.CreateLinkedTokenSource(Ct);

        Task<IReadOnlyList<EmbeddingResult>> leader = cached.EmbedAsync(["q"], cancellationToken: leaderCancellation.Token);
        await leaderEntered.Task.WaitAsync(Ct);
        Task<IReadOnlyList<EmbeddingResult>>[] followers = [.. Enumerable.Range(0, 5).Select(_ => cached.EmbedAsync(["q"], cancellationToken: Ct))];
        await Task.Delay(50, Ct);
        Assert.All(followers, f => Assert.False(f.IsCompleted));
        await leaderCancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => leader);
        IReadOnlyList<EmbeddingResult>[] results = await Task.WhenAll(followers);
        Assert.All(results, r => Assert.Equal(OptionAwareVectors.For(inner.Metadata, "q", null), r[0].Vector.ToArray()));
        Assert.Equal(2, inner.Calls);
    }

    [Fact]
    public async Task EmbedAsync_LeaderItemFails_FollowersComputeThemselves()
    {
        var leaderEntered = new TaskCompletionSource();
        var release = new TaskCompletionSource();
        using TestEmbeddingProvider inner = OptionAwareVectors.Provider();
        Func<EmbeddingInput, EmbeddingRequestOptions?, EmbeddingResult> embed = inner.EmbedOne!;
        inner.OnCall = async (_, ct) =>
        {
            if (inner.Calls == 1)
            {
                leaderEntered.SetResult();
                await release.Task.WaitAsync(ct);
            }
        };
        inner.EmbedOne = (input, options) => inner.Calls == 1
            ? EmbeddingResult.Failure(new RemoteEmbeddingException(RemoteFailureKind.Timeout, "timed out"), "test")
            : embed(input, options);
        using CachingEmbeddingProvider cached = inner.WithMemoryCache();

        Task<IReadOnlyList<EmbeddingResult>> leader = cached.EmbedAsync(["q"], cancellationToken: Ct);
        await leaderEntered.Task.WaitAsync(Ct);
        Task<IReadOnlyList<EmbeddingResult>>[] followers = [.. Enumerable.Range(0, 5).Select(_ => cached.EmbedAsync(["q"], cancellationToken: Ct))];
        await Task.Delay(50, Ct);
        release.SetResult();

        Assert.IsType<RemoteEmbeddingException>((await leader)[0].Error);
        IReadOnlyList<EmbeddingResult>[] results = await Task.WhenAll(followers);
        Assert.All(results, r => Assert.True(r[0].Succeeded));
        Assert.Equal(2, inner.Calls);
    }

    [Fact]
    public async Task EmbedAsync_CallsLeadingEachOthersKeys_BothComplete()
    {
        var bothInside = new TaskCompletionSource();
        int inside = 0;
        using TestEmbeddingProvider inner = OptionAwareVectors.Provider();
        inner.OnCall = async (_, ct) =>
        {
            if (Interlocked.Increment(ref inside) == 2)
            {
                bothInside.SetResult();
            }

            await bothInside.Task.WaitAsync(TimeSpan.FromSeconds(2), ct).ContinueWith(_ => { }, TaskScheduler.Default);
        };
        using CachingEmbeddingProvider cached = inner.WithMemoryCache();

        Task<IReadOnlyList<EmbeddingResult>> a = Task.Run(() => cached.EmbedAsync(["x", "y"], cancellationToken: Ct));
        Task<IReadOnlyList<EmbeddingResult>> b = Task.Run(() => cached.EmbedAsync(["y", "x"], cancellationToken: Ct));
        IReadOnlyList<EmbeddingResult>[] results = await Task.WhenAll(a, b).WaitAsync(TimeSpan.FromSeconds(30), Ct);

        Assert.Equal(OptionAwareVectors.For(inner.Metadata, "x", null), results[0][0].Vector.ToArray());
        Assert.Equal(OptionAwareVectors.For(inner.Metadata, "x", null), results[1][1].Vector.ToArray());
        Assert.Equal(2, inner.Batches.Sum(batch => batch.Count));
    }

    [Fact]
    public async Task EmbedAsync_VectorOverMaxEntryBytes_NotStored()
    {
        using TestEmbeddingProvider inner = OptionAwareVectors.Provider(dimensions: 64);
        using CachingEmbeddingProvider cached = inner.WithMemoryCache(new EmbeddingCacheOptions { MaxEntryBytes = 100 });

        await cached.EmbedAsync(["big"], cancellationToken: Ct);
        await cached.EmbedAsync(["big", "small"], new EmbeddingRequestOptions { Dimensions = 16 }, Ct);
        await cached.EmbedAsync(["big", "small"], new EmbeddingRequestOptions { Dimensions = 16 }, Ct);
        await cached.EmbedAsync(["big"], cancellationToken: Ct);

        // 64 dimensions need 272 bytes and are recomputed; 16 need 80 and are cached.
        Assert.Equal(3, inner.Calls);
    }

    [Fact]
    public async Task EmbedAsync_AbsoluteExpiration_EntryExpires()
    {
        using TestEmbeddingProvider inner = OptionAwareVectors.Provider();
        using CachingEmbeddingProvider cached = inner.WithMemoryCache(new EmbeddingCacheOptions { AbsoluteExpiration = TimeSpan.FromSeconds(1) });

        await cached.EmbedAsync(["t"], cancellationToken: Ct);
        await cached.EmbedAsync(["t"], cancellationToken: Ct);
        Assert.Equal(1, inner.Calls);
        await Task.Delay(1500, Ct);
        await cached.EmbedAsync(["t"], cancellationToken: Ct);

        Assert.Equal(2, inner.Calls);
    }

    [Fact]
    public async Task AsEmbeddingGenerator_OfCachedProvider_IsCached()
    {
        using TestEmbeddingProvider inner = OptionAwareVectors.Provider();
        CachingEmbeddingProvider cached = inner.WithMemoryCache();
        using IEmbeddingGenerator<string, Embedding<float>> texts = cached.AsEmbeddingGenerator();
        IEmbeddingGenerator<DataContent, Embedding<float>> images = cached.AsImageEmbeddingGenerator();
        var image = new DataContent(new byte[] { 0x89, 0x50, 0x4E, 0x47 }, "image/png");

        await texts.GenerateAsync(["hello"], cancellationToken: Ct);
        GeneratedEmbeddings<Embedding<float>> again = await texts.GenerateAsync(["hello"], cancellationToken: Ct);
        GeneratedEmbeddings<Embedding<float>> smaller = await texts.GenerateAsync(["hello"], new EmbeddingGenerationOptions { Dimensions = 4 }, Ct);
        await images.GenerateAsync([image], cancellationToken: Ct);
        await images.GenerateAsync([image], cancellationToken: Ct);

        Assert.Equal(3, inner.Calls);
        Assert.Equal(OptionAwareVectors.For(inner.Metadata, "hello", null), again[0].Vector.ToArray());
        Assert.Equal(OptionAwareVectors.For(inner.Metadata, "hello", new EmbeddingRequestOptions { Dimensions = 4 }), smaller[0].Vector.ToArray());
        Assert.Same(cached, texts.GetService(typeof(CachingEmbeddingProvider)));
    }

    [Fact]
    public async Task EmbedAsync_CacheThrows_ComputesCountsErrorsAndWarnsOnce()
    {
        var time = new ManualTimeProvider();
        var failing = new TestDistributedCache { OnOperation = (_, _) => throw new InvalidOperationException("connection refused") };
        using TestEmbeddingProvider inner = OptionAwareVectors.Provider();
        using var metrics = new RecordingMeterFactory();
        var logs = new RecordingLoggerFactory();
        using var cached = new CachingEmbeddingProvider(
            inner, o => new DistributedEmbeddingCacheStore(failing, o), new EmbeddingCacheOptions(), logs, metrics, ownedCache: null, time);

        IReadOnlyList<EmbeddingResult> results = await cached.EmbedAsync(["a", "b"], cancellationToken: Ct);
        IReadOnlyList<EmbeddingResult> more = await cached.EmbedAsync(["c"], cancellationToken: Ct);

        Assert.Equal(OptionAwareVectors.For(inner.Metadata, "a", null), results[0].Vector.ToArray());
        Assert.True(more[0].Succeeded);
        long errors = metrics.Sum(EmbeddingCacheMetrics.ErrorsName, (EmbeddingCacheMetrics.ErrorTypeTag, "System.InvalidOperationException"));
        Assert.True(errors >= 3, $"{errors} errors counted");
        Assert.Single(logs.Entries, e => e.EventId.Id == 3001 && e.Level == LogLevel.Warning);
        Assert.Single(logs.Entries, e => e.EventId.Id == 3002);
    }

    [Fact]
    public async Task EmbedAsync_RepeatedCacheFailures_CacheLeftAloneForBreakDuration()
    {
        var time = new ManualTimeProvider();
        bool down = true;
        var cache = new TestDistributedCache { OnOperation = (_, _) => down ? throw new IOException("down") : Task.CompletedTask };
        using TestEmbeddingProvider inner = OptionAwareVectors.Provider();
        using var metrics = new RecordingMeterFactory();
        var logs = new RecordingLoggerFactory();
        using var cached = new CachingEmbeddingProvider(
            inner, o => new DistributedEmbeddingCacheStore(cache, o), new EmbeddingCacheOptions { BreakDuration = TimeSpan.FromSeconds(10) },
            logs, metrics, ownedCache: null, time);

        await cached.EmbedAsync(["1"], cancellationToken: Ct); // read and write fail
        await cached.EmbedAsync(["2"], cancellationToken: Ct); // read fails: third failure, the cache is left alone
        int touched = cache.Gets + cache.Sets;
        for (int i = 0; i < 5; i++)
        {
            Assert.True((await cached.EmbedAsync([$"skip {i}"], cancellationToken: Ct))[0].Succeeded);
        }

        Assert.Equal(touched, cache.Gets + cache.Sets);
        Assert.True(metrics.Sum(EmbeddingCacheMetrics.ErrorsName, (EmbeddingCacheMetrics.ErrorTypeTag, "circuit_open")) >= 5);

        down = false;
        time.Advance(TimeSpan.FromSeconds(11));
        await cached.EmbedAsync(["back"], cancellationToken: Ct);
        await cached.EmbedAsync(["back"], cancellationToken: Ct);
        Assert.Equal(1, metrics.Sum(EmbeddingCacheMetrics.HitsName));

        // Later failures are counted but the warning is not repeated within its interval.
        Assert.Single(logs.Entries, e => e.EventId.Id == 3001);
    }

    [Fact]
    public async Task EmbedAsync_HangingCache_BoundedByOperationTimeout()
    {
        // The cache ignores cancellation altogether: only the provider's own bound ends the wait.
        var hanging = new TestDistributedCache { OnOperation = (_, _) => Task.Delay(Timeout.Infinite, CancellationToken.None) };
        using TestEmbeddingProvider inner = OptionAwareVectors.Provider();
        using var metrics = new RecordingMeterFactory();
        using CachingEmbeddingProvider cached = inner.WithCache(hanging, new EmbeddingCacheOptions { OperationTimeout = TimeSpan.FromMilliseconds(100) }, meterFactory: metrics);

        var watch = Stopwatch.StartNew();
        IReadOnlyList<EmbeddingResult> results = await cached.EmbedAsync(["t"], cancellationToken: Ct);
        watch.Stop();

        output.WriteLine($"read and write timed out; call took {watch.ElapsedMilliseconds} ms");
        Assert.Equal(OptionAwareVectors.For(inner.Metadata, "t", null), results[0].Vector.ToArray());
        Assert.InRange(watch.ElapsedMilliseconds, 150, 5000);
        Assert.Equal(2, metrics.Sum(EmbeddingCacheMetrics.ErrorsName, (EmbeddingCacheMetrics.ErrorTypeTag, "timeout")));
    }

    [Fact]
    public async Task EmbedAsync_CallerCancelsDuringCacheRead_Throws()
    {
        var entered = new TaskCompletionSource();
        var slow = new TestDistributedCache
        {
            OnOperation = async (_, ct) =>
            {
                entered.TrySetResult();
                await Task.Delay(Timeout.Infinite, ct);
            },
        };
        using TestEmbeddingProvider inner = OptionAwareVectors.Provider();
        using CachingEmbeddingProvider cached = inner.WithCache(slow, new EmbeddingCacheOptions { OperationTimeout = TimeSpan.FromMinutes(1) });
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(Ct);

        Task<IReadOnlyList<EmbeddingResult>> call = cached.EmbedAsync(["t"], cancellationToken: cancellation.Token);
        await entered.Task.WaitAsync(Ct);
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.Equal(0, inner.Calls);
    }

    [Fact]
    public async Task EmbedAsync_CorruptDistributedValue_TreatedAsMissAndReplaced()
    {
        var cache = new TestDistributedCache();
        using TestEmbeddingProvider inner = OptionAwareVectors.Provider();
        using var metrics = new RecordingMeterFactory();
        using CachingEmbeddingProvider cached = inner.WithCache(cache, meterFactory: metrics);
        string key = cached.GetKey("t");
        cache.Values[key] = [1, 2, 3];

        IReadOnlyList<EmbeddingResult> first = await cached.EmbedAsync(["t"], cancellationToken: Ct);
        IReadOnlyList<EmbeddingResult> second = await cached.EmbedAsync(["t"], cancellationToken: Ct);

        Assert.Equal(OptionAwareVectors.For(inner.Metadata, "t", null), first[0].Vector.ToArray());
        Assert.Equal("test", first[0].ProviderName);
        Assert.Equal(CachingEmbeddingProvider.HitProviderName, second[0].ProviderName);
        Assert.Equal(1, metrics.Sum(EmbeddingCacheMetrics.ErrorsName, (EmbeddingCacheMetrics.ErrorTypeTag, "corrupt_value")));
        Assert.Equal(1, inner.Calls);
    }

    [Fact]
    public async Task EmbedAsync_ForeignObjectInSharedMemoryCache_TreatedAsMiss()
    {
        using var shared = new MemoryCache(new MemoryCacheOptions());
        using TestEmbeddingProvider inner = OptionAwareVectors.Provider();
        using CachingEmbeddingProvider cached = inner.WithCache(shared);
        shared.Set(cached.GetKey("t"), "something else");

        IReadOnlyList<EmbeddingResult> results = await cached.EmbedAsync(["t"], cancellationToken: Ct);

        Assert.Equal(OptionAwareVectors.For(inner.Metadata, "t", null), results[0].Vector.ToArray());
        Assert.Equal(1, inner.Calls);
    }

    [Fact]
    public async Task EmbedAsync_InputsOverHashingLimit_BypassTheCacheInTheSameInnerCall()
    {
        using TestEmbeddingProvider inner = OptionAwareVectors.Provider();
        var cache = new TestDistributedCache();
        using CachingEmbeddingProvider cached = inner.WithCache(cache, new EmbeddingCacheOptions { MaxInputBytes = 10 });
        string longText = new('x', 11);

        IReadOnlyList<EmbeddingResult> results = await cached.EmbedAsync(
            [longText, "short", EmbeddingInput.FromImage(new byte[11]), EmbeddingInput.FromPixels(new RgbImage(1, 1, new byte[3]))],
            cancellationToken: Ct);

        Assert.Equal(1, inner.Calls);
        Assert.Equal(4, inner.Batches[0].Count);
        Assert.Equal(OptionAwareVectors.For(inner.Metadata, longText, null), results[0].Vector.ToArray());
        Assert.Equal(1, cache.Gets); // Only "short": the 1x1 pixels are hashed as 3 bytes plus 8 of size.
    }

    [Fact]
    public async Task Dispose_DisposesInnerButNotAGivenCache()
    {
        using var shared = new MemoryCache(new MemoryCacheOptions());
        var inner = OptionAwareVectors.Provider();
        var cached = inner.WithCache(shared);

        cached.Dispose();

        Assert.True(inner.Disposed);
        shared.Set("still", 1);
        Assert.True(shared.TryGetValue("still", out _));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => cached.EmbedAsync(["t"], cancellationToken: Ct));
    }

    [Fact]
    public async Task EmbedAsync_NullItem_ThrowsArgumentNullException()
    {
        using CachingEmbeddingProvider cached = OptionAwareVectors.Provider().WithMemoryCache();

        await Assert.ThrowsAsync<ArgumentNullException>(() => cached.EmbedAsync(["a", null!], cancellationToken: Ct));
    }

    private static byte[] RandomBytes(int length, int seed)
    {
        byte[] bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    /// <summary>A stream over bytes that counts what is read from it and can fail.</summary>
    private sealed class CountingStream(byte[] content, bool seekable) : Stream
    {
        private int _position;

        public long BytesRead { get; private set; }

        public int? FailAfter { get; init; }

        public override bool CanRead => true;

        public override bool CanSeek => seekable;

        public override bool CanWrite => false;

        public override long Length => seekable ? content.Length : throw new NotSupportedException();

        public override long Position
        {
            get => _position;
            set => _position = (int)value;
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            if (FailAfter is { } limit && BytesRead >= limit)
            {
                throw new IOException("the device went away");
            }

            int n = Math.Min(buffer.Length, content.Length - _position);
            content.AsSpan(_position, n).CopyTo(buffer);
            _position += n;
            BytesRead += n;
            return n;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(Read(buffer.Span));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            Task.FromResult(Read(buffer, offset, count));

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
