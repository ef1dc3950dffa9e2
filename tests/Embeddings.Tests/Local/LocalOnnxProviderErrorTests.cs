using Embeddings.TestSupport;

namespace Embeddings.Local;

/// <summary>Bad inputs fail alone with typed errors; bad options, models and calls are refused clearly.</summary>
public sealed class LocalOnnxProviderErrorTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task EmbedAsync_ImageToTextOnlyModel_FailsThatInputAsUnsupportedModality()
    {
        LocalOnnxProvider provider = LocalTestModels.Shared("embeddinggemma");
        EmbeddingInput image = EmbeddingInput.FromImageFile(Path.Combine(TestAssets.ImagesDir, "cat_bamboo_chair.jpg"), "cat.jpg");

        IReadOnlyList<EmbeddingResult> results = await provider.EmbedAsync(["before", image, "after"], cancellationToken: Ct);

        Assert.True(results[0].Succeeded);
        Assert.True(results[2].Succeeded);
        EmbeddingInputException error = Assert.IsType<EmbeddingInputException>(results[1].Error);
        Assert.Equal(EmbeddingInputError.UnsupportedModality, error.Reason);
        Assert.Contains("cat.jpg", error.Message, StringComparison.Ordinal);
        Assert.Equal("local-onnx", results[1].ProviderName);
    }

    [Fact]
    public async Task EmbedAsync_TooLongTextWithTruncationOff_FailsOnlyThatText()
    {
        using LocalOnnxProvider provider = LocalTestModels.Create("minilm", o => o.TruncateText = false);
        string secret = "confidential " + string.Join(' ', Enumerable.Repeat("word", 400));

        IReadOnlyList<EmbeddingResult> results = await provider.EmbedAsync(
            [EmbeddingInput.FromText("short"), EmbeddingInput.FromText(secret, "doc-7"), EmbeddingInput.FromText("also short")], cancellationToken: Ct);

        Assert.True(results[0].Succeeded);
        Assert.True(results[2].Succeeded);
        EmbeddingInputException error = Assert.IsType<EmbeddingInputException>(results[1].Error);
        Assert.Equal(EmbeddingInputError.TooLarge, error.Reason);
        Assert.Contains("doc-7", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("confidential", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EmbedAsync_TooLongTextWithTruncation_EqualsItsTruncatedPrefix()
    {
        LocalOnnxProvider provider = LocalTestModels.Shared("siglip2");
        string[] words = [.. Enumerable.Range(0, 200).Select(i => $"w{i}")];

        // SigLIP keeps 63 tokens and the closing <eos>: what follows the first 63 tokens cannot matter.
        float[][] a = await LocalTestModels.EmbedTextsAsync(provider, [string.Join(' ', words)]);
        float[][] b = await LocalTestModels.EmbedTextsAsync(provider, [string.Join(' ', words[..150]) + " something else entirely"]);

        Assert.Equal(a[0], b[0]);
    }

    [Fact]
    public async Task EmbedAsync_UnknownPrompt_ThrowsArgumentExceptionListingThePrompts()
    {
        LocalOnnxProvider provider = LocalTestModels.Shared("embeddinggemma");

        ArgumentException ex = await Assert.ThrowsAsync<ArgumentException>(
            () => provider.EmbedAsync(["x"], new EmbeddingRequestOptions { PromptName = "querry" }, Ct));

        Assert.Contains("querry", ex.Message, StringComparison.Ordinal);
        Assert.Contains("query", ex.Message.Replace("querry", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Contains("Retrieval-document", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EmbedAsync_PromptOnModelWithoutPrompts_ThrowsArgumentException()
    {
        LocalOnnxProvider provider = LocalTestModels.Shared("siglip2");

        ArgumentException ex = await Assert.ThrowsAsync<ArgumentException>(
            () => provider.EmbedAsync(["x"], new EmbeddingRequestOptions { PromptName = "query" }, Ct));

        Assert.Contains("defines no prompts", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EmbedAsync_MoreDimensionsThanTheModel_ThrowsArgumentException()
    {
        LocalOnnxProvider provider = LocalTestModels.Shared("embeddinggemma");

        await Assert.ThrowsAsync<ArgumentException>(
            () => provider.EmbedAsync(["x"], new EmbeddingRequestOptions { Dimensions = provider.Metadata.Dimensions + 1 }, Ct));
    }

    [Fact]
    public async Task EmbedAsync_NullInput_ThrowsArgumentNullException()
    {
        LocalOnnxProvider provider = LocalTestModels.Shared("minilm");

        await Assert.ThrowsAsync<ArgumentNullException>(() => provider.EmbedAsync([EmbeddingInput.FromText("a"), null!], cancellationToken: Ct));
    }

    [Fact]
    public async Task EmbedAsync_Cancelled_ThrowsOperationCanceled()
    {
        LocalOnnxProvider provider = LocalTestModels.Shared("embeddinggemma");
        using var cts = new CancellationTokenSource();
        cts.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => provider.EmbedAsync(["x"], cancellationToken: cts.Token));
    }

    [Fact]
    public async Task EmbedAsync_CancelledDuringALongCall_StopsPromptly()
    {
        using LocalOnnxProvider provider = LocalTestModels.Create("embeddinggemma");
        string[] texts = [.. Enumerable.Range(0, 4000).Select(i => $"text number {i} " + new string('x', i % 50))];
        using var cts = new CancellationTokenSource();
        var watch = System.Diagnostics.Stopwatch.StartNew();
        Task call = provider.EmbedAsync(texts.Select(t => EmbeddingInput.FromText(t)).ToArray(), cancellationToken: cts.Token);
        await Task.Delay(200, Ct);

        cts.Cancel();
        long cancelledAt = watch.ElapsedMilliseconds;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        long stopped = watch.ElapsedMilliseconds - cancelledAt;
        Assert.True(stopped < 5000, $"the call went on for {stopped} ms after cancellation");
    }

    [Fact]
    public async Task EmbedAsync_AfterDispose_ThrowsObjectDisposed()
    {
        LocalOnnxProvider provider = LocalTestModels.Create("minilm");
        provider.Dispose();
        provider.Dispose();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => provider.EmbedAsync(["x"], cancellationToken: Ct));
    }

    [Fact]
    public async Task ClassifyAsync_TextOnlyModel_ThrowsInvalidOperation()
    {
        LocalOnnxProvider provider = LocalTestModels.Shared("embeddinggemma");

        await Assert.ThrowsAsync<InvalidOperationException>(() => provider.ClassifyAsync(
            EmbeddingInput.FromImageFile(Path.Combine(TestAssets.ImagesDir, "cat_bamboo_chair.jpg")), ["cat"], cancellationToken: Ct));
    }

    [Fact]
    public void Create_MissingFolder_ThrowsModelException()
    {
        EmbeddingModelException ex = Assert.Throws<EmbeddingModelException>(() => LocalOnnxProvider.Create(Path.Combine(Path.GetTempPath(), "no-such-model-" + Guid.NewGuid())));

        Assert.Contains("does not exist", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_InvalidOptions_ThrowsArgumentExceptionNamingThem()
    {
        var options = new LocalOnnxProviderOptions { TextBatchSize = 0, ImageBatchSize = 100_000 };

        ArgumentException ex = Assert.Throws<ArgumentException>(() => LocalOnnxProvider.Create(LocalTestModels.Folder("minilm"), options));

        Assert.Contains(nameof(LocalOnnxProviderOptions.TextBatchSize), ex.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(LocalOnnxProviderOptions.ImageBatchSize), ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_GraphWithoutTheNeededOutput_ThrowsModelExceptionListingItsOutputs()
    {
        // A CLIP layout whose text tower is swapped for MiniLM's graph: no text_embeds output.
        using var folder = new TempModelFolder(LocalTestModels.Folder("clip"));
        File.Copy(Path.Combine(LocalTestModels.Folder("minilm"), "onnx", "model.onnx"), Path.Combine(folder.Path, "onnx", "text_model.onnx"), overwrite: true);
        File.Delete(Path.Combine(folder.Path, "onnx", "vision_model.onnx"));
        File.Delete(Path.Combine(folder.Path, "onnx", "model.onnx"));

        EmbeddingModelException ex = Assert.Throws<EmbeddingModelException>(() => LocalOnnxProvider.Create(folder.Path, LocalTestModels.Options()));

        Assert.Contains("text_embeds", ex.Message, StringComparison.Ordinal);
        Assert.Contains("last_hidden_state", ex.Message, StringComparison.Ordinal);
    }
}
