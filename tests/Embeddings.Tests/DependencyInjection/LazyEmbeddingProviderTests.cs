using Embeddings.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace Embeddings.DependencyInjection;

public sealed class LazyEmbeddingProviderTests
{
    private const string Model = "test-org/lazy-model";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task EmbedAsync_ManyConcurrentFirstCalls_LoadTheModelExactlyOnceAndAllGetVectors()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var loader = new TestLocalModelLoader { OnLoad = (_, _) => release.Task };
        using LazyEmbeddingProvider lazy = Create(loader);

        Task<IReadOnlyList<EmbeddingResult>>[] calls = [.. Enumerable.Range(0, 32).Select(i => Task.Run(() => lazy.EmbedAsync([$"text {i}"], cancellationToken: Ct), Ct))];
        await WaitUntilAsync(() => loader.Loads > 0);
        Assert.Equal(ModelLoadState.Loading, lazy.State);
        Assert.All(calls, c => Assert.False(c.IsCompleted));
        release.SetResult();
        IReadOnlyList<EmbeddingResult>[] results = await Task.WhenAll(calls);

        Assert.Equal(1, loader.Loads);
        Assert.Equal(1, lazy.LoadAttempts);
        Assert.Equal(ModelLoadState.Loaded, lazy.State);
        for (int i = 0; i < results.Length; i++)
        {
            Assert.Equal(loader.VectorFor(EmbeddingInput.FromText($"text {i}")), Assert.Single(results[i]).Vector.ToArray());
        }
    }

    [Fact]
    public async Task EmbedAsync_LoadFails_EveryInputFailsWithTheLoadersErrorUntilThePauseEndsThenItLoadsAgain()
    {
        var time = new ManualTimeProvider();
        var failure = new EmbeddingModelException(Model, "model.onnx is missing");
        var loader = new TestLocalModelLoader();
        loader.OnLoad = (_, _) => loader.Loads == 1 ? Task.FromException(failure) : Task.CompletedTask;
        using LazyEmbeddingProvider lazy = Create(loader, time);

        IReadOnlyList<EmbeddingResult> first = await lazy.EmbedAsync(["a", "b", "c"], cancellationToken: Ct);
        Assert.All(first, r => Assert.Same(failure, r.Error));
        Assert.All(first, r => Assert.Equal(EmbeddingsProviders.LocalProviderName, r.ProviderName));
        Assert.Equal(ModelLoadState.Failed, lazy.State);
        Assert.Same(failure, lazy.LastError);

        // Within the pause: the same error at once, no new load.
        time.Advance(LazyEmbeddingProvider.RetryPause - TimeSpan.FromSeconds(1));
        IReadOnlyList<EmbeddingResult> second = await lazy.EmbedAsync(["d"], cancellationToken: Ct);
        Assert.Same(failure, second[0].Error);
        Assert.Equal(1, loader.Loads);

        time.Advance(TimeSpan.FromSeconds(1));
        IReadOnlyList<EmbeddingResult> third = await lazy.EmbedAsync(["e"], cancellationToken: Ct);
        Assert.True(third[0].Succeeded, third[0].Error?.Message);
        Assert.Equal((2, ModelLoadState.Loaded), (loader.Loads, lazy.State));
        Assert.Null(lazy.LastError);
    }

    [Fact]
    public async Task EmbedAsync_LoaderThrowsAnotherException_InputsFailWithAModelErrorNamingTheModel()
    {
        var loader = new TestLocalModelLoader { OnLoad = (_, _) => throw new IOException("disk full") };
        using LazyEmbeddingProvider lazy = Create(loader);

        EmbeddingResult result = (await lazy.EmbedAsync(["a"], cancellationToken: Ct))[0];

        var error = Assert.IsType<EmbeddingModelException>(result.Error);
        Assert.Equal(Model, error.Model);
        Assert.Equal($"The model '{Model}' could not be loaded: disk full", error.Message);
        Assert.IsType<IOException>(error.InnerException);
    }

    [Fact]
    public async Task EmbedAsync_OneCallerCancelsWhileLoading_OnlyItIsCancelledAndTheLoadServesTheOthers()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        CancellationToken loadToken = default;
        var loader = new TestLocalModelLoader
        {
            OnLoad = (_, token) =>
            {
                loadToken = token;
                return release.Task;
            },
        };
        using LazyEmbeddingProvider lazy = Create(loader);
        using var cancelled = CancellationTokenSource.CreateLinkedTokenSource(Ct);

        Task<IReadOnlyList<EmbeddingResult>> giving = lazy.EmbedAsync(["impatient"], cancellationToken: cancelled.Token);
        Task<IReadOnlyList<EmbeddingResult>> waiting = lazy.EmbedAsync(["patient"], cancellationToken: Ct);
        await WaitUntilAsync(() => loader.Loads > 0);
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => giving);
        Assert.False(loadToken.IsCancellationRequested);
        release.SetResult();
        Assert.True((await waiting)[0].Succeeded);
        Assert.Equal(1, loader.Loads);
    }

    [Fact]
    public async Task Dispose_WhileLoading_CancelsTheLoadAndDisposesAModelThatArrivesLate()
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        CancellationToken loadToken = default;
        var loader = new TestLocalModelLoader
        {
            OnLoad = (_, token) =>
            {
                loadToken = token;
                started.SetResult();
                return release.Task; // ignores the token: a loader that cannot stop half-way
            },
        };
        var lazy = Create(loader);
        Task<IEmbeddingProvider> load = lazy.LoadAsync(Ct);
        await started.Task.WaitAsync(Ct);

        lazy.Dispose();
        Assert.True(loadToken.IsCancellationRequested);
        release.SetResult();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => load);
        Assert.True(Assert.Single(loader.Loaded).Disposed);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => lazy.EmbedAsync(["late"], cancellationToken: Ct));
    }

    [Fact]
    public async Task Dispose_AfterLoad_DisposesTheModelOnce()
    {
        var loader = new TestLocalModelLoader();
        var lazy = Create(loader);
        await lazy.EmbedAsync(["a"], cancellationToken: Ct);

        lazy.Dispose();
        lazy.Dispose();

        Assert.True(Assert.Single(loader.Loaded).Disposed);
        Assert.Null(lazy.Loaded);
    }

    [Fact]
    public async Task Metadata_BeforeLoad_IsTheConfiguredModelWithUnknownDimensionAndAfterwardsTheLoadedModels()
    {
        var loader = new TestLocalModelLoader { Dimensions = 12 };
        using LazyEmbeddingProvider lazy = Create(loader);

        Assert.Equal((Model, 0, EmbeddingsProviders.LocalProviderName), (lazy.Metadata.ModelId, lazy.Metadata.Dimensions, lazy.Metadata.ProviderName));
        Assert.Null(lazy.GetService(typeof(TestEmbeddingProvider)));
        await lazy.LoadAsync(Ct);

        Assert.Equal(12, lazy.Metadata.Dimensions);
        Assert.Same(lazy.Loaded, lazy.GetService(typeof(TestEmbeddingProvider)));
        Assert.Same(lazy, lazy.GetService(typeof(LazyEmbeddingProvider)));
        Assert.Equal(1, loader.Loads);
    }

    [Fact]
    public async Task EmbedAsync_NullInput_ThrowsWithoutLoading()
    {
        var loader = new TestLocalModelLoader();
        using LazyEmbeddingProvider lazy = Create(loader);

        await Assert.ThrowsAsync<ArgumentNullException>(() => lazy.EmbedAsync([EmbeddingInput.FromText("a"), null!], cancellationToken: Ct));
        Assert.Equal(0, loader.Loads);
    }

    internal static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (int i = 0; !condition(); i++)
        {
            Assert.True(i < 1000, "The condition was not met within 10 s.");
            await Task.Delay(10, Ct);
        }
    }

    private static LazyEmbeddingProvider Create(TestLocalModelLoader loader, TimeProvider? time = null)
    {
        var request = new LocalModelRequest(EmbeddingsServiceKeys.Text, Model, new EmbeddingsOptions());
        return new LazyEmbeddingProvider(
            EmbeddingsServiceKeys.Text,
            new EmbeddingProviderMetadata(EmbeddingsProviders.LocalProviderName, Model, 0, EmbeddingModalities.Text),
            token => loader.LoadAsync(request, token),
            NullLogger.Instance,
            EmbeddingsMetrics.For(null),
            time ?? TimeProvider.System);
    }
}
