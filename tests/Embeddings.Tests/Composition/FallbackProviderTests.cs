using Embeddings.Remote;
using Embeddings.TestSupport;
using Microsoft.Extensions.AI;
using static Embeddings.Composition.FallbackTestProviders;

namespace Embeddings.Composition;

public sealed class FallbackProviderTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task EmbedAsync_PrimaryFailsSomeInputs_OnlyThoseGoToTheNextProviderInOneCallAndResultsKeepInputOrder()
    {
        using TestEmbeddingProvider primary = Failing("primary", i => i.Text!.StartsWith('x') ? RemoteError(RemoteFailureKind.HttpStatus, 503) : null);
        using TestEmbeddingProvider local = LocalFake();
        using var fallback = new FallbackProvider([primary, local], new FallbackProviderOptions { LeaveOpen = true });
        EmbeddingInput[] inputs = ["a", "x1", "b", "x2", "c"];

        IReadOnlyList<EmbeddingResult> results = await fallback.EmbedAsync(inputs, cancellationToken: Ct);

        Assert.Equal(inputs.Length, results.Count);
        Assert.Equal([["a", "x1", "b", "x2", "c"]], TextsReceived(primary));
        Assert.Equal([["x1", "x2"]], TextsReceived(local));
        string[] servedBy = [.. results.Select(r => r.ProviderName)];
        Assert.Equal(["primary", "local", "primary", "local", "primary"], servedBy);
        for (int i = 0; i < inputs.Length; i++)
        {
            IEmbeddingProvider expectedProvider = servedBy[i] == "local" ? local : primary;
            Assert.Equal(VectorOf(expectedProvider, inputs[i]), results[i].Vector.ToArray());
        }

        Assert.Equal("HttpStatus", ReasonOf(results[1]));
        Assert.Equal("primary", FromOf(results[1]));
        Assert.Null(ReasonOf(results[0]));
        Assert.Null(FromOf(results[2]));
    }

    [Fact]
    public async Task EmbedAsync_ThreeProviders_EachInputServedByTheFirstThatEmbedsItAndReasonIsThePrimarys()
    {
        using TestEmbeddingProvider first = Failing("first", i => i.Text!.StartsWith('x') ? RemoteError(RemoteFailureKind.Timeout) : null);
        using TestEmbeddingProvider second = Failing("second", i => i.Text!.StartsWith("xx", StringComparison.Ordinal) ? RemoteError(RemoteFailureKind.RateLimited, 429) : null);
        using TestEmbeddingProvider third = LocalFake(name: "third");
        using var fallback = new FallbackProvider([first, second, third], new FallbackProviderOptions { LeaveOpen = true });

        IReadOnlyList<EmbeddingResult> results = await fallback.EmbedAsync(["xx1", "a", "x1", "xx2"], cancellationToken: Ct);

        Assert.Equal(["third", "first", "second", "third"], results.Select(r => r.ProviderName));
        Assert.Equal([["x1", "xx1", "xx2"]], TextsReceived(second).Select(b => b.Order().ToArray()));
        Assert.Equal([["xx1", "xx2"]], TextsReceived(third));
        Assert.Equal("Timeout", ReasonOf(results[0]));
        Assert.Equal("first", FromOf(results[0]));
        Assert.Equal("Timeout", ReasonOf(results[2]));
        Assert.Equal(VectorOf(third, "xx2"), results[3].Vector.ToArray());
    }

    [Fact]
    public async Task EmbedAsync_EveryProviderFailsAnInput_TheLastProvidersErrorIsReportedAndTheRestSucceed()
    {
        RemoteEmbeddingException primaryError = RemoteError(RemoteFailureKind.HttpStatus, 500);
        var localError = new EmbeddingInputException(EmbeddingInputError.Corrupt, "image 'bad'", "truncated data");
        using TestEmbeddingProvider primary = Failing("primary", _ => primaryError);
        using TestEmbeddingProvider local = Failing("local", i => i.Text == "bad" ? localError : null);
        using var fallback = new FallbackProvider([primary, local], new FallbackProviderOptions { LeaveOpen = true });

        IReadOnlyList<EmbeddingResult> results = await fallback.EmbedAsync(["good", "bad"], cancellationToken: Ct);

        Assert.True(results[0].Succeeded);
        Assert.False(results[1].Succeeded);
        Assert.Same(localError, results[1].Error);
        Assert.Equal("local", results[1].ProviderName);
    }

    [Fact]
    public async Task EmbedAsync_PrimaryThrows_WholeBatchFallsBackWithTheExceptionTypeAsReason()
    {
        using TestEmbeddingProvider primary = LocalFake(name: "primary");
        primary.OnCall = (_, _) => throw new InvalidOperationException("the primary is broken");
        using TestEmbeddingProvider local = LocalFake();
        using var fallback = new FallbackProvider([primary, local], new FallbackProviderOptions { LeaveOpen = true });

        IReadOnlyList<EmbeddingResult> results = await fallback.EmbedAsync(["a", "b"], cancellationToken: Ct);

        Assert.All(results, r => Assert.Equal("local", r.ProviderName));
        Assert.All(results, r => Assert.Equal(nameof(InvalidOperationException), ReasonOf(r)));
    }

    [Fact]
    public async Task EmbedAsync_PrimaryThrowsItsOwnCancellation_FallsBackBecauseTheCallerDidNotCancel()
    {
        using TestEmbeddingProvider primary = LocalFake(name: "primary");
        primary.OnCall = (_, _) => throw new TaskCanceledException("an internal timeout");
        using TestEmbeddingProvider local = LocalFake();
        using var fallback = new FallbackProvider([primary, local], new FallbackProviderOptions { LeaveOpen = true });

        IReadOnlyList<EmbeddingResult> results = await fallback.EmbedAsync(["a"], cancellationToken: Ct);

        Assert.Equal("local", results[0].ProviderName);
        Assert.Equal(nameof(TaskCanceledException), ReasonOf(results[0]));
    }

    [Fact]
    public async Task EmbedAsync_PrimaryReturnsTooFewResults_FallsBackAsInvalidResult()
    {
        using TestEmbeddingProvider primary = LocalFake(name: "primary");
        using var shortChanging = new ShortChangingProvider(primary);
        using TestEmbeddingProvider local = LocalFake();
        using var fallback = new FallbackProvider([shortChanging, local], new FallbackProviderOptions { LeaveOpen = true });

        IReadOnlyList<EmbeddingResult> results = await fallback.EmbedAsync(["a", "b", "c"], cancellationToken: Ct);

        Assert.All(results, r => Assert.Equal("local", r.ProviderName));
        Assert.All(results, r => Assert.Equal("InvalidResult", ReasonOf(r)));
    }

    [Fact]
    public async Task EmbedAsync_EveryProviderThrows_TheLastExceptionIsRethrown()
    {
        using TestEmbeddingProvider primary = LocalFake(name: "primary");
        primary.OnCall = (_, _) => throw new ArgumentException("prompt 'x' is not supported by primary");
        var last = new ArgumentException("prompt 'x' is not supported by local");
        using TestEmbeddingProvider local = LocalFake();
        local.OnCall = (_, _) => throw last;
        using var fallback = new FallbackProvider([primary, local], new FallbackProviderOptions { LeaveOpen = true });

        ArgumentException thrown = await Assert.ThrowsAsync<ArgumentException>(() => fallback.EmbedAsync(["a", "b"], cancellationToken: Ct));

        Assert.Same(last, thrown);
    }

    [Fact]
    public async Task EmbedAsync_LastProviderThrowsAfterOthersSucceeded_KeepsTheSuccessesAndFailsTheRestWithTheException()
    {
        using TestEmbeddingProvider primary = Failing("primary", i => i.Text == "b" ? RemoteError(RemoteFailureKind.Transport) : null);
        using TestEmbeddingProvider local = LocalFake();
        local.OnCall = (_, _) => throw new InvalidOperationException("local is broken");
        using var fallback = new FallbackProvider([primary, local], new FallbackProviderOptions { LeaveOpen = true });

        IReadOnlyList<EmbeddingResult> results = await fallback.EmbedAsync(["a", "b"], cancellationToken: Ct);

        Assert.True(results[0].Succeeded);
        EmbeddingException error = results[1].Error!;
        Assert.IsType<InvalidOperationException>(error.InnerException);
        Assert.Contains("'local'", error.Message, StringComparison.Ordinal);
        Assert.Contains("text (1 characters)", error.Message, StringComparison.Ordinal);
        Assert.Equal("local", results[1].ProviderName);
    }

    [Fact]
    public async Task EmbedAsync_ModalityOnlyALaterProviderEmbeds_IsRoutedThereWithoutAFallbackReason()
    {
        using TestEmbeddingProvider remote = Failing("remote", _ => RemoteError(RemoteFailureKind.HttpStatus, 503));
        using TestEmbeddingProvider textOnlyRemote = LocalFake(name: "remote", modalities: EmbeddingModalities.Text);
        textOnlyRemote.EmbedOne = remote.EmbedOne;
        using TestEmbeddingProvider local = LocalFake();
        using var fallback = new FallbackProvider([textOnlyRemote, local], new FallbackProviderOptions { LeaveOpen = true });
        byte[] image = [1, 2, 3];

        IReadOnlyList<EmbeddingResult> results = await fallback.EmbedAsync(["a", EmbeddingInput.FromImage(image, "img")], cancellationToken: Ct);

        Assert.Equal(EmbeddingModalities.Text | EmbeddingModalities.Image, fallback.Metadata.Modalities);
        Assert.Equal([["a"]], TextsReceived(textOnlyRemote));
        Assert.Equal("local", results[1].ProviderName);
        Assert.Null(ReasonOf(results[1]));
        Assert.Equal(VectorOf(local, EmbeddingInput.FromImage(image)), results[1].Vector.ToArray());
        Assert.Equal("HttpStatus", ReasonOf(results[0]));
    }

    [Fact]
    public async Task EmbedAsync_NoProviderEmbedsTheModality_FailsThatInputAsUnsupportedModality()
    {
        using TestEmbeddingProvider remote = LocalFake(name: "remote", modalities: EmbeddingModalities.Text);
        using TestEmbeddingProvider local = LocalFake(modalities: EmbeddingModalities.Text);
        using var fallback = new FallbackProvider([remote, local], new FallbackProviderOptions { LeaveOpen = true });

        IReadOnlyList<EmbeddingResult> results = await fallback.EmbedAsync(["a", EmbeddingInput.FromImage(new byte[] { 1 }, "photo.png")], cancellationToken: Ct);

        Assert.True(results[0].Succeeded);
        var error = Assert.IsType<EmbeddingInputException>(results[1].Error);
        Assert.Equal(EmbeddingInputError.UnsupportedModality, error.Reason);
        Assert.Contains("'photo.png'", error.Message, StringComparison.Ordinal);
        Assert.Equal(FallbackProvider.ProviderName, results[1].ProviderName);
    }

    [Fact]
    public async Task EmbedAsync_PrimaryCircuitOpen_PrimaryIsNotCalled()
    {
        using TestEmbeddingProvider primary = LocalFake(name: "primary");
        primary.Services = t => t == typeof(RemoteCircuitState) ? RemoteCircuitState.Open : null;
        using TestEmbeddingProvider local = LocalFake();
        using var fallback = new FallbackProvider([primary, local], new FallbackProviderOptions { LeaveOpen = true });

        IReadOnlyList<EmbeddingResult> results = await fallback.EmbedAsync(["a", "b"], cancellationToken: Ct);

        Assert.Equal(0, primary.Calls);
        Assert.All(results, r => Assert.Equal("local", r.ProviderName));
        Assert.All(results, r => Assert.Equal("CircuitOpen", ReasonOf(r)));
    }

    [Fact]
    public async Task EmbedAsync_PrimaryCircuitHalfOpen_PrimaryIsCalledSoItsBreakerCanProbe()
    {
        using TestEmbeddingProvider primary = LocalFake(name: "primary");
        primary.Services = t => t == typeof(RemoteCircuitState) ? RemoteCircuitState.HalfOpen : null;
        using TestEmbeddingProvider local = LocalFake();
        using var fallback = new FallbackProvider([primary, local], new FallbackProviderOptions { LeaveOpen = true });

        IReadOnlyList<EmbeddingResult> results = await fallback.EmbedAsync(["a"], cancellationToken: Ct);

        Assert.Equal(1, primary.Calls);
        Assert.Equal(0, local.Calls);
        Assert.Equal("primary", results[0].ProviderName);
    }

    [Fact]
    public async Task EmbedAsync_OpenCircuitOnTheOnlyProviderOfAModality_IsStillCalledForThoseInputs()
    {
        using TestEmbeddingProvider primary = LocalFake(name: "primary");
        primary.Services = t => t == typeof(RemoteCircuitState) ? RemoteCircuitState.Open : null;
        using TestEmbeddingProvider local = LocalFake(modalities: EmbeddingModalities.Text);
        using var fallback = new FallbackProvider([primary, local], new FallbackProviderOptions { LeaveOpen = true });

        IReadOnlyList<EmbeddingResult> results = await fallback.EmbedAsync(["a", EmbeddingInput.FromImage(new byte[] { 7 })], cancellationToken: Ct);

        Assert.Equal([["a"]], TextsReceived(local));
        Assert.Equal([[nameof(EmbeddingInputKind.ImageBytes)]], TextsReceived(primary));
        Assert.Equal("primary", results[1].ProviderName);
    }

    [Fact]
    public async Task EmbedAsync_CancelledWhileThePrimaryRuns_PropagatesAndNeverCallsTheFallback()
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        using TestEmbeddingProvider primary = LocalFake(name: "primary");
        primary.OnCall = async (_, token) =>
        {
            cts.CancelAfter(TimeSpan.FromMilliseconds(50));
            await Task.Delay(Timeout.Infinite, token);
        };
        using TestEmbeddingProvider local = LocalFake();
        using var fallback = new FallbackProvider([primary, local], new FallbackProviderOptions { LeaveOpen = true });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => fallback.EmbedAsync(["a"], cancellationToken: cts.Token));

        Assert.Equal(0, local.Calls);
    }

    [Fact]
    public async Task EmbedAsync_CancelledWhileTheSecondProviderRuns_PropagatesAndNeverCallsTheThird()
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        using TestEmbeddingProvider first = Failing("first", _ => RemoteError(RemoteFailureKind.HttpStatus, 502));
        using TestEmbeddingProvider second = LocalFake(name: "second");
        second.OnCall = async (_, token) =>
        {
            await cts.CancelAsync();
            token.ThrowIfCancellationRequested();
        };
        using TestEmbeddingProvider third = LocalFake(name: "third");
        using var fallback = new FallbackProvider([first, second, third], new FallbackProviderOptions { LeaveOpen = true });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => fallback.EmbedAsync(["a"], cancellationToken: cts.Token));

        Assert.Equal(0, third.Calls);
    }

    [Fact]
    public async Task EmbedAsync_AlreadyCancelled_ThrowsWithoutCallingAnyProvider()
    {
        using TestEmbeddingProvider primary = LocalFake(name: "primary");
        using TestEmbeddingProvider local = LocalFake();
        using var fallback = new FallbackProvider([primary, local], new FallbackProviderOptions { LeaveOpen = true });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => fallback.EmbedAsync(["a"], cancellationToken: new CancellationToken(true)));

        Assert.Equal(0, primary.Calls + local.Calls);
    }

    [Fact]
    public void Constructor_DifferentModels_RefusedWithAMessageNamingBothAndTheOption()
    {
        using TestEmbeddingProvider remote = LocalFake(name: "huggingface", model: "google/siglip2-base-patch16-224");
        using TestEmbeddingProvider local = LocalFake(model: "openai/clip-vit-base-patch32");

        ArgumentException error = Assert.Throws<ArgumentException>(() => new FallbackProvider([remote, local]));

        Assert.Contains("'google/siglip2-base-patch16-224'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'openai/clip-vit-base-patch32'", error.Message, StringComparison.Ordinal);
        Assert.Contains("not comparable", error.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(FallbackProviderOptions.AssumeCompatible), error.Message, StringComparison.Ordinal);
        Assert.False(remote.Disposed);
    }

    [Fact]
    public void Constructor_DifferentDimensions_RefusedWithAMessageNamingBoth()
    {
        using TestEmbeddingProvider remote = LocalFake(dimensions: 768, name: "huggingface");
        using TestEmbeddingProvider local = LocalFake(dimensions: 1152);

        ArgumentException error = Assert.Throws<ArgumentException>(() => new FallbackProvider([remote, local]));

        Assert.Contains("768-dimensional", error.Message, StringComparison.Ordinal);
        Assert.Contains("1152-dimensional", error.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(FallbackProviderOptions.AssumeCompatible), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_ModelIdsDifferingOnlyInCase_Accepted()
    {
        using TestEmbeddingProvider remote = LocalFake(name: "huggingface", model: "Google/EmbeddingGemma-300m");
        using TestEmbeddingProvider local = LocalFake(model: "google/embeddinggemma-300m");

        using var fallback = new FallbackProvider([remote, local], new FallbackProviderOptions { LeaveOpen = true });

        Assert.Equal("Google/EmbeddingGemma-300m", fallback.Metadata.ModelId);
    }

    [Fact]
    public async Task Constructor_DeclaredCompatible_CombinesDifferentNamesAndServesBoth()
    {
        using TestEmbeddingProvider remote = Failing("huggingface", i => i.Text == "b" ? RemoteError(RemoteFailureKind.Timeout) : null);
        using TestEmbeddingProvider local = LocalFake(model: "siglip2-base-onnx");

        using var fallback = new FallbackProvider([remote, local], new FallbackProviderOptions { AssumeCompatible = true, LeaveOpen = true });
        IReadOnlyList<EmbeddingResult> results = await fallback.EmbedAsync(["a", "b"], cancellationToken: Ct);

        Assert.Equal(["huggingface", "local"], results.Select(r => r.ProviderName));
        Assert.Equal(VectorOf(local, "b"), results[1].Vector.ToArray());
    }

    [Fact]
    public async Task EmbedAsync_UnknownDimensionPrimaryReturnsAnotherDimension_ThoseVectorsFallBackAsDimensionMismatch()
    {
        using TestEmbeddingProvider remote = LocalFake(dimensions: 0, name: "huggingface");
        remote.EmbedOne = (input, _) => EmbeddingResult.Success(new Embedding<float>(new float[6]), "huggingface");
        using TestEmbeddingProvider local = LocalFake(dimensions: 8);
        using var fallback = new FallbackProvider([remote, local], new FallbackProviderOptions { LeaveOpen = true });
        Assert.Equal(8, fallback.Metadata.Dimensions);

        IReadOnlyList<EmbeddingResult> results = await fallback.EmbedAsync(["a", "b"], cancellationToken: Ct);

        Assert.All(results, r => Assert.Equal("local", r.ProviderName));
        Assert.All(results, r => Assert.Equal(8, r.Vector.Length));
        Assert.All(results, r => Assert.Equal("DimensionMismatch", ReasonOf(r)));
    }

    [Fact]
    public async Task EmbedAsync_NoDimensionDeclared_FirstVectorSetsItAndAMismatchingFallbackVectorIsATypedError()
    {
        using TestEmbeddingProvider first = LocalFake(dimensions: 0, name: "first");
        first.EmbedOne = (input, _) => input.Text == "b"
            ? EmbeddingResult.Failure(RemoteError(RemoteFailureKind.HttpStatus, 500), "first")
            : EmbeddingResult.Success(new Embedding<float>(new float[8]), "first");
        using TestEmbeddingProvider second = LocalFake(dimensions: 0, name: "second");
        second.EmbedOne = (_, _) => EmbeddingResult.Success(new Embedding<float>(new float[6]), "second");
        using var fallback = new FallbackProvider([first, second], new FallbackProviderOptions { LeaveOpen = true });
        Assert.Equal(0, fallback.Metadata.Dimensions);

        IReadOnlyList<EmbeddingResult> results = await fallback.EmbedAsync(["a", "b"], cancellationToken: Ct);

        Assert.Equal(8, results[0].Vector.Length);
        var error = Assert.IsType<EmbeddingModelException>(results[1].Error);
        Assert.Contains("6-dimensional", error.Message, StringComparison.Ordinal);
        Assert.Contains("8-dimensional", error.Message, StringComparison.Ordinal);
        Assert.Contains("text (1 characters)", error.Message, StringComparison.Ordinal);
        Assert.Equal("second", results[1].ProviderName);
        Assert.Equal(8, fallback.Metadata.Dimensions);
    }

    [Fact]
    public async Task EmbedAsync_DeclaredCompatibleWithOtherDimension_ThatProviderIsSkippedUnlessTheCallRequestsACommonSize()
    {
        using TestEmbeddingProvider remote = Failing("huggingface", _ => RemoteError(RemoteFailureKind.HttpStatus, 503), dimensions: 8);
        using TestEmbeddingProvider local = LocalFake(dimensions: 16);
        using var fallback = new FallbackProvider([remote, local], new FallbackProviderOptions { AssumeCompatible = true, LeaveOpen = true });

        IReadOnlyList<EmbeddingResult> mismatched = await fallback.EmbedAsync(["a"], cancellationToken: Ct);
        IReadOnlyList<EmbeddingResult> truncated = await fallback.EmbedAsync(["a"], new EmbeddingRequestOptions { Dimensions = 4 }, Ct);

        Assert.Equal(1, local.Calls);
        Assert.IsType<EmbeddingModelException>(mismatched[0].Error);
        Assert.Equal("local", truncated[0].ProviderName);
        Assert.Equal(4, truncated[0].Vector.Length);
    }

    [Fact]
    public async Task EmbedAsync_SeekableStream_IsRewoundSoTheFallbackReadsTheSameBytes()
    {
        byte[] image = [.. Enumerable.Range(0, 5000).Select(i => (byte)i)];
        using var stream = new MemoryStream(image);
        stream.Position = 100;
        using TestEmbeddingProvider primary = LocalFake(name: "primary");
        primary.EmbedOne = (input, _) =>
        {
            input.ImageStream!.CopyTo(Stream.Null);
            return EmbeddingResult.Failure(RemoteError(RemoteFailureKind.Transport), "primary");
        };
        using TestEmbeddingProvider local = LocalFake();
        using var fallback = new FallbackProvider([primary, local], new FallbackProviderOptions { LeaveOpen = true });

        IReadOnlyList<EmbeddingResult> results = await fallback.EmbedAsync([EmbeddingInput.FromImage(stream)], cancellationToken: Ct);

        Assert.Equal("local", results[0].ProviderName);
        Assert.Equal(VectorOf(local, EmbeddingInput.FromImage(image.AsMemory(100))), results[0].Vector.ToArray());
    }

    [Fact]
    public async Task EmbedAsync_NonSeekableStream_IsReadOnceSoEveryProviderSeesTheSameBytes()
    {
        byte[] image = [.. Enumerable.Range(0, 200_000).Select(i => (byte)(i * 7))];
        using var stream = new ForwardOnlyStream(image);
        using TestEmbeddingProvider primary = Failing("primary", _ => RemoteError(RemoteFailureKind.Transport));
        using TestEmbeddingProvider local = LocalFake();
        using var fallback = new FallbackProvider([primary, local], new FallbackProviderOptions { LeaveOpen = true });

        IReadOnlyList<EmbeddingResult> results = await fallback.EmbedAsync([EmbeddingInput.FromImage(stream, "upload")], cancellationToken: Ct);

        Assert.Equal("local", results[0].ProviderName);
        Assert.Equal(VectorOf(local, EmbeddingInput.FromImage(image)), results[0].Vector.ToArray());
    }

    [Fact]
    public async Task EmbedAsync_NonSeekableStreamOverTheLimit_FailsThatInputAsTooLargeAndKeepsTheRest()
    {
        using var stream = new ForwardOnlyStream(new byte[1000]);
        using TestEmbeddingProvider primary = LocalFake(name: "primary");
        using TestEmbeddingProvider local = LocalFake();
        using var fallback = new FallbackProvider([primary, local], new FallbackProviderOptions { LeaveOpen = true, MaxStreamBytes = 999 });

        IReadOnlyList<EmbeddingResult> results = await fallback.EmbedAsync(["a", EmbeddingInput.FromImage(stream, "upload")], cancellationToken: Ct);

        Assert.True(results[0].Succeeded);
        var error = Assert.IsType<EmbeddingInputException>(results[1].Error);
        Assert.Equal(EmbeddingInputError.TooLarge, error.Reason);
        Assert.Contains("'upload'", error.Message, StringComparison.Ordinal);
        Assert.Equal([["a"]], TextsReceived(primary));
    }

    [Fact]
    public void Dispose_ByDefault_DisposesEveryProviderOnce()
    {
        using TestEmbeddingProvider primary = LocalFake(name: "primary");
        using TestEmbeddingProvider local = LocalFake();
        var fallback = new FallbackProvider([primary, local]);

        fallback.Dispose();
        fallback.Dispose();

        Assert.True(primary.Disposed);
        Assert.True(local.Disposed);
        Assert.Throws<ObjectDisposedException>(() => fallback.EmbedAsync(["a"], cancellationToken: Ct).GetAwaiter().GetResult());
    }

    [Fact]
    public void Dispose_LeaveOpen_LeavesProvidersUsable()
    {
        using TestEmbeddingProvider primary = LocalFake(name: "primary");
        using TestEmbeddingProvider local = LocalFake();
        var fallback = new FallbackProvider([primary, local], new FallbackProviderOptions { LeaveOpen = true });

        fallback.Dispose();

        Assert.False(primary.Disposed);
        Assert.False(local.Disposed);
    }

    [Fact]
    public void Metadata_DescribesTheChain()
    {
        using TestEmbeddingProvider remote = LocalFake(dimensions: 0, name: "huggingface", modalities: EmbeddingModalities.Text);
        using TestEmbeddingProvider local = LocalFake(dimensions: 8);
        using var fallback = new FallbackProvider([remote, local], new FallbackProviderOptions { LeaveOpen = true });

        EmbeddingProviderMetadata metadata = fallback.Metadata;

        Assert.Equal(FallbackProvider.ProviderName, metadata.ProviderName);
        Assert.Equal(Model, metadata.ModelId);
        Assert.Equal(8, metadata.Dimensions);
        Assert.Equal(EmbeddingModalities.Text | EmbeddingModalities.Image, metadata.Modalities);
        Assert.Equal(["query"], metadata.PromptNames);
        Assert.Same(metadata, fallback.GetService(typeof(EmbeddingProviderMetadata)));
    }

    [Fact]
    public void GetService_AnswersItselfAndItsProvidersServicesButNeverACircuitState()
    {
        using TestEmbeddingProvider primary = LocalFake(name: "primary");
        primary.Services = t => t == typeof(RemoteCircuitState) ? RemoteCircuitState.Open : null;
        using TestEmbeddingProvider local = LocalFake();
        using var fallback = new FallbackProvider([primary, local], new FallbackProviderOptions { LeaveOpen = true });

        Assert.Same(fallback, fallback.GetService(typeof(FallbackProvider)));
        Assert.Same(primary, fallback.GetService(typeof(TestEmbeddingProvider)));
        Assert.Null(fallback.GetService(typeof(RemoteCircuitState)));
        Assert.Null(fallback.GetService(typeof(FallbackProvider), "key"));
    }

    [Fact]
    public async Task EmbedAsync_InvalidArguments_Throw()
    {
        using TestEmbeddingProvider local = LocalFake();
        using var fallback = new FallbackProvider([local], new FallbackProviderOptions { LeaveOpen = true });

        await Assert.ThrowsAsync<ArgumentNullException>(() => fallback.EmbedAsync(null!, cancellationToken: Ct));
        await Assert.ThrowsAsync<ArgumentNullException>(() => fallback.EmbedAsync([EmbeddingInput.FromText("a"), null!], cancellationToken: Ct));
        Assert.Empty(await fallback.EmbedAsync([], cancellationToken: Ct));
        Assert.Throws<ArgumentException>(() => new FallbackProvider([]));
        Assert.Throws<ArgumentNullException>(() => new FallbackProvider([local, null!]));
        Assert.Throws<ArgumentException>(() => new FallbackProvider([local], new FallbackProviderOptions { WarningInterval = TimeSpan.FromSeconds(-1) }));
    }

    [Fact]
    public async Task WithFallback_BuildsATwoProviderChain()
    {
        using TestEmbeddingProvider primary = Failing("primary", _ => RemoteError(RemoteFailureKind.Unauthorized, 401));
        using TestEmbeddingProvider local = LocalFake();
        using FallbackProvider fallback = primary.WithFallback(local, new FallbackProviderOptions { LeaveOpen = true });

        IReadOnlyList<EmbeddingResult> results = await fallback.EmbedAsync(["a"], cancellationToken: Ct);

        Assert.Equal([primary, local], fallback.Providers);
        Assert.Equal("Unauthorized", ReasonOf(results[0]));
    }

    /// <summary>A provider that returns one result fewer than it was given inputs.</summary>
    private sealed class ShortChangingProvider(IEmbeddingProvider inner) : IEmbeddingProvider
    {
        public EmbeddingProviderMetadata Metadata => inner.Metadata;

        public async Task<IReadOnlyList<EmbeddingResult>> EmbedAsync(
            IReadOnlyList<EmbeddingInput> inputs, EmbeddingRequestOptions? options = null, CancellationToken cancellationToken = default) =>
            [.. (await inner.EmbedAsync(inputs, options, cancellationToken)).Skip(1)];

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }

    /// <summary>A stream that can be read once, front to back.</summary>
    private sealed class ForwardOnlyStream(byte[] content) : MemoryStream(content)
    {
        public override bool CanSeek => false;

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override long Seek(long offset, SeekOrigin loc) => throw new NotSupportedException();
    }
}
