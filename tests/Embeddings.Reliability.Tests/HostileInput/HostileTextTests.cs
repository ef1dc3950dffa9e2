using System.Diagnostics;
using Embeddings.Local;
using Embeddings.Reliability.Support;

namespace Embeddings.Reliability.HostileInput;

/// <summary>
/// The hostile text corpus through every tiny text model: every text yields a finite unit vector (texts are truncated
/// as the Python reference truncates), ordinary neighbours get the vectors they get alone, and with truncation off
/// the long ones fail alone with <see cref="EmbeddingInputError.TooLarge"/>.
/// </summary>
public sealed class HostileTextTests(ITestOutputHelper output)
{
    private const double Tolerance = 1e-5;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string> TextModels => [.. ReliabilityModels.TextModels];

    [Theory]
    [MemberData(nameof(TextModels))]
    public async Task EmbedAsync_HostileTextsBetweenOrdinaryOnes_EveryTextEmbeddedAndNeighboursUnaffected(string model)
    {
        LocalOnnxProvider provider = ReliabilityModels.Shared(model);
        (string Name, string Text)[] corpus = [.. HostileTexts.Generic(), .. HostileTexts.AddedTokens(ReliabilityModels.Folder(model))];
        float[][] alone = [.. await Task.WhenAll(HostileTexts.Ordinary.Select(async t => (await provider.EmbedAsync([t], cancellationToken: Ct))[0].Vector.ToArray()))];

        var inputs = new List<EmbeddingInput>();
        var ordinaryAt = new Dictionary<int, int>();
        for (int i = 0; i < corpus.Length; i++)
        {
            if (i % 5 == 0)
            {
                ordinaryAt[inputs.Count] = (i / 5) % HostileTexts.Ordinary.Length;
                inputs.Add(EmbeddingInput.FromText(HostileTexts.Ordinary[ordinaryAt[inputs.Count]]));
            }

            inputs.Add(EmbeddingInput.FromText(corpus[i].Text, corpus[i].Name));
        }

        var watch = Stopwatch.StartNew();
        IReadOnlyList<EmbeddingResult> results = await provider.EmbedAsync(inputs, cancellationToken: Ct);
        watch.Stop();

        Assert.Equal(inputs.Count, results.Count);
        for (int i = 0; i < results.Count; i++)
        {
            Assert.True(results[i].Succeeded, $"{inputs[i]}: {results[i].Error?.Message}");
            Vectors.AssertUnitAndFinite(results[i].Vector.Span, inputs[i].ToString());
            if (ordinaryAt.TryGetValue(i, out int o))
            {
                double diff = Vectors.MaxAbsDifference(alone[o], results[i].Vector.Span);
                Assert.True(diff <= Tolerance, $"ordinary text at {i} differs from its vector alone by {diff:E2}");
            }
        }

        output.WriteLine($"{model}: {corpus.Length} hostile texts ({inputs.Sum(t => (long)t.Text!.Length) / 1024} KiB of UTF-16) + " +
            $"{ordinaryAt.Count} ordinary ones in one call: all embedded in {watch.ElapsedMilliseconds} ms.");
    }

    [Theory]
    [MemberData(nameof(TextModels))]
    public async Task EmbedAsync_TruncationOff_LongTextsFailAloneAsTooLarge(string model)
    {
        using LocalOnnxProvider provider = ReliabilityModels.Create(model, o => o.TruncateText = false);
        (string Name, string Text)[] corpus = [.. HostileTexts.Generic()];
        var inputs = new List<EmbeddingInput>();
        foreach ((string name, string text) in corpus)
        {
            inputs.Add(EmbeddingInput.FromText(text, name));
            inputs.Add(EmbeddingInput.FromText(HostileTexts.Ordinary[0]));
        }

        IReadOnlyList<EmbeddingResult> results = await provider.EmbedAsync(inputs, cancellationToken: Ct);

        Assert.Equal(inputs.Count, results.Count);
        float[] ordinary = results[1].Vector.ToArray();
        int tooLarge = 0;
        for (int i = 0; i < inputs.Count; i++)
        {
            if (i % 2 == 1)
            {
                Assert.True(Vectors.BitwiseEqual(ordinary, results[i].Vector.Span) || Vectors.MaxAbsDifference(ordinary, results[i].Vector.Span) <= Tolerance, $"ordinary text at {i}");
                continue;
            }

            if (results[i].Succeeded)
            {
                Vectors.AssertUnitAndFinite(results[i].Vector.Span, inputs[i].ToString());
                Assert.True(inputs[i].Text!.Length < 100_000, $"{inputs[i]} was embedded although truncation is off");
                continue;
            }

            var error = Assert.IsType<EmbeddingInputException>(results[i].Error);
            Assert.Equal(EmbeddingInputError.TooLarge, error.Reason);
            Assert.Contains(inputs[i].Name!, error.Message, StringComparison.Ordinal);
            tooLarge++;
        }

        // Every megabyte text is far beyond any context.
        Assert.True(tooLarge >= corpus.Count(c => c.Text.Length >= HostileTexts.Megabyte), $"only {tooLarge} texts were refused");
        output.WriteLine($"{model}: {tooLarge} of {corpus.Length} hostile texts refused as TooLarge with truncation off; the rest embedded.");
    }

    [Fact]
    public async Task EmbedAsync_100000TextBatch_OneResultPerTextInOrder()
    {
        LocalOnnxProvider provider = ReliabilityModels.Shared("minilm");
        const int Count = 100_000;
        string[] words = ["alpha", "beta", "gamma", "delta", "", " ", "\uD800", "[SEP]", "日本"];
        var inputs = new EmbeddingInput[Count];
        for (int i = 0; i < Count; i++)
        {
            inputs[i] = EmbeddingInput.FromText(words[i % words.Length] + " " + (i % 97).ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        // The distinct texts, embedded alone: every copy in the big batch must carry its own text's vector.
        var distinct = inputs.Take(words.Length * 97).Select(i => i.Text!).Distinct().ToArray();
        IReadOnlyList<EmbeddingResult> reference = await provider.EmbedAsync([.. distinct.Select(t => EmbeddingInput.FromText(t))], cancellationToken: Ct);
        var expected = distinct.Select((t, k) => (t, reference[k].Vector.ToArray())).ToDictionary(p => p.t, p => p.Item2, StringComparer.Ordinal);

        var watch = Stopwatch.StartNew();
        IReadOnlyList<EmbeddingResult> results = await provider.EmbedAsync(inputs, cancellationToken: Ct);
        watch.Stop();

        Assert.Equal(Count, results.Count);
        double worst = 0;
        for (int i = 0; i < Count; i++)
        {
            Assert.True(results[i].Succeeded, $"text {i}: {results[i].Error?.Message}");
            worst = Math.Max(worst, Vectors.MaxAbsDifference(expected[inputs[i].Text!], results[i].Vector.Span));
        }

        output.WriteLine($"minilm: {Count:N0} texts in one call in {watch.ElapsedMilliseconds} ms; largest difference from the text embedded in another batch {worst:E2}.");
        Assert.True(worst <= Tolerance, $"a text's vector depends on its batch: {worst:E2}");
    }
}
