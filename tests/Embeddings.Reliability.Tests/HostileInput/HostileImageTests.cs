using System.Text;
using Embeddings.Local;
using Embeddings.Reliability.Support;
using Embeddings.TestSupport;

namespace Embeddings.Reliability.HostileInput;

/// <summary>
/// The hostile image corpus through the local image models: every item yields a vector or a typed per-item error
/// naming it, and the real photos between them get the vectors they get alone.
/// </summary>
public sealed class HostileImageTests(ITestOutputHelper output)
{
    // Batching changes nothing for images in principle; allow for float reassociation between batch shapes.
    private const double Tolerance = 1e-5;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string> ImageModels => [.. ReliabilityModels.ImageModels];

    [Theory]
    [MemberData(nameof(ImageModels))]
    public async Task EmbedAsync_HostileCorpusBetweenRealPhotos_EachItemTypedAndNeighboursUnaffected(string model)
    {
        LocalOnnxProvider provider = ReliabilityModels.Shared(model);
        IReadOnlyList<HostileItem> corpus = HostileImages.All;
        Dictionary<string, float[]> alone = [];
        foreach (string file in HostileImages.GoodFiles)
        {
            alone[file] = (await provider.EmbedAsync([EmbeddingInput.FromImage(HostileImages.Read(file), file)], cancellationToken: Ct))[0].Vector.ToArray();
        }

        // A real photo after every third hostile item.
        var inputs = new List<EmbeddingInput>();
        var expected = new List<(HostileItem? Item, string? Good)>();
        for (int i = 0; i < corpus.Count; i++)
        {
            if (i % 3 == 0)
            {
                string file = HostileImages.GoodFiles[(i / 3) % HostileImages.GoodFiles.Length];
                inputs.Add(EmbeddingInput.FromImage(HostileImages.Read(file), file));
                expected.Add((null, file));
            }

            inputs.Add(corpus[i].Create());
            expected.Add((corpus[i], null));
        }

        var watch = System.Diagnostics.Stopwatch.StartNew();
        IReadOnlyList<EmbeddingResult> results = await provider.EmbedAsync(inputs, cancellationToken: Ct);
        watch.Stop();

        Assert.Equal(inputs.Count, results.Count);
        var report = new StringBuilder();
        var failures = new List<string>();
        int vectors = 0, errors = 0, good = 0;
        for (int i = 0; i < results.Count; i++)
        {
            EmbeddingResult result = results[i];
            if (expected[i].Good is { } file)
            {
                good++;
                if (!result.Succeeded)
                {
                    failures.Add($"real photo {file} at {i} failed: {result.Error!.Message}");
                    continue;
                }

                double diff = VectorDifference.MaxAbs(alone[file], result.Vector.Span);
                if (diff > Tolerance)
                {
                    failures.Add($"real photo {file} at {i} differs from its vector alone by {diff:E2}");
                }

                continue;
            }

            HostileItem item = expected[i].Item!;
            string? problem = Check(item, result);
            if (result.Succeeded)
            {
                vectors++;
            }
            else
            {
                errors++;
            }

            report.AppendLine($"  {item.Name}: {(result.Succeeded ? "vector" : ((EmbeddingInputException)result.Error!).Reason.ToString())}");
            if (problem is not null)
            {
                failures.Add(problem);
            }
        }

        output.WriteLine($"{model}: {corpus.Count} hostile items + {good} real photos in one call, {watch.ElapsedMilliseconds} ms: " +
            $"{vectors} vectors, {errors} typed errors.");
        output.WriteLine(report.ToString());
        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }

    [Fact]
    public async Task EmbedStreamAsync_HostileCorpus_SameOutcomesAsOneCall()
    {
        LocalOnnxProvider provider = ReliabilityModels.Shared("siglip2");
        IReadOnlyList<HostileItem> corpus = HostileImages.All;
        IReadOnlyList<EmbeddingResult> batch = await provider.EmbedAsync([.. corpus.Select(c => c.Create())], cancellationToken: Ct);

        var streamed = new List<EmbeddingResult>();
        await foreach (EmbeddingResult result in provider.EmbedStreamAsync(Produce(corpus), cancellationToken: Ct))
        {
            streamed.Add(result);
        }

        Assert.Equal(corpus.Count, streamed.Count);
        for (int i = 0; i < corpus.Count; i++)
        {
            Assert.Null(Check(corpus[i], streamed[i]));
            Assert.Equal(batch[i].Succeeded, streamed[i].Succeeded);
            if (batch[i].Succeeded)
            {
                Assert.True(VectorDifference.MaxAbs(batch[i].Vector.Span, streamed[i].Vector.Span) <= Tolerance, corpus[i].Name);
            }
            else
            {
                Assert.Equal(((EmbeddingInputException)batch[i].Error!).Reason, ((EmbeddingInputException)streamed[i].Error!).Reason);
            }
        }
    }

    [Fact]
    public async Task EmbedAsync_HostileImagesToTextOnlyModel_UnsupportedModalityAndTextsUnaffected()
    {
        LocalOnnxProvider provider = ReliabilityModels.Shared("embeddinggemma");
        IReadOnlyList<HostileItem> corpus = HostileImages.All;
        string[] texts = ["a rocket on the launch pad", "a cat on a chair", "mountains at dusk"];
        float[][] alone = [.. await Task.WhenAll(texts.Select(async t => (await provider.EmbedAsync([t], cancellationToken: Ct))[0].Vector.ToArray()))];

        var inputs = new List<EmbeddingInput>();
        foreach (HostileItem item in corpus)
        {
            inputs.Add(item.Create());
            inputs.Add(texts[inputs.Count % texts.Length]);
        }

        IReadOnlyList<EmbeddingResult> results = await provider.EmbedAsync(inputs, cancellationToken: Ct);

        Assert.Equal(inputs.Count, results.Count);
        for (int i = 0; i < inputs.Count; i++)
        {
            if (inputs[i].Modality == EmbeddingModalities.Image)
            {
                var error = Assert.IsType<EmbeddingInputException>(results[i].Error);
                Assert.Equal(EmbeddingInputError.UnsupportedModality, error.Reason);
            }
            else
            {
                int t = Array.IndexOf(texts, inputs[i].Text);
                Assert.True(VectorDifference.MaxAbs(alone[t], results[i].Vector.Span) <= 1e-5, $"text at {i}");
            }
        }
    }

    /// <summary>Returns what is wrong with an item's result, or <see langword="null"/>.</summary>
    internal static string? Check(HostileItem item, EmbeddingResult result)
    {
        if (result.Succeeded)
        {
            if (!item.Expected.VectorAllowed)
            {
                return $"{item.Name}: produced a vector, expected {item.Expected}";
            }

            try
            {
                Vectors.AssertUnitAndFinite(result.Vector.Span, item.Name);
            }
            catch (Exception ex)
            {
                return ex.Message;
            }

            return null;
        }

        if (result.Error is not EmbeddingInputException error)
        {
            return $"{item.Name}: failed with {result.Error!.GetType().Name} ({result.Error.Message}), expected {item.Expected}";
        }

        if (!item.Expected.Reasons.Contains(error.Reason))
        {
            return $"{item.Name}: failed with {error.Reason} ({error.Message}), expected {item.Expected}";
        }

        if (!error.Message.Contains(item.Name, StringComparison.Ordinal))
        {
            return $"{item.Name}: the error does not name the input: {error.Message}";
        }

        return null;
    }

    private static async IAsyncEnumerable<EmbeddingInput> Produce(IReadOnlyList<HostileItem> corpus)
    {
        foreach (HostileItem item in corpus)
        {
            await Task.Yield();
            yield return item.Create();
        }
    }
}
