using System.Diagnostics;
using Embeddings.Local;
using Embeddings.Reliability.Support;
using Embeddings.TestSupport;

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

        // The Gemma 3 tokenizer has added tokens (<image_soft_token>, id 262144) past the model's embedding table: a
        // text holding one cannot be embedded (Python raises an IndexError for the whole batch). It must fail alone,
        // with a typed error; every other text must embed.
        (int rows, int maxLength) = ModelLimits(model);
        Tokenization.Tokenizer tokenizer = provider.GetService<Tokenization.Tokenizer>()!;
        Assert.Equal(inputs.Count, results.Count);
        int outOfTable = 0;
        for (int i = 0; i < results.Count; i++)
        {
            bool embeddable = !tokenizer.Encode(inputs[i].Text!, new Tokenization.EncodeOptions { Truncation = true, MaxLength = maxLength }).Ids.ToArray().Any(id => id >= rows);
            if (!embeddable)
            {
                outOfTable++;
                Assert.False(results[i].Succeeded, $"{inputs[i]} holds a token past the embedding table, yet got a vector");
                Assert.Contains(inputs[i].Name!, results[i].Error!.Message, StringComparison.Ordinal);
                continue;
            }

            Assert.True(results[i].Succeeded, $"{inputs[i]}: {results[i].Error?.Message}");
            Vectors.AssertUnitAndFinite(results[i].Vector.Span, inputs[i].ToString());
            if (ordinaryAt.TryGetValue(i, out int o))
            {
                double diff = VectorDifference.MaxAbs(alone[o], results[i].Vector.Span);
                Assert.True(diff <= Tolerance, $"ordinary text at {i} differs from its vector alone by {diff:E2}");
            }
        }

        output.WriteLine($"{model}: {corpus.Length} hostile texts ({inputs.Sum(t => (long)t.Text!.Length) / 1024} KiB of UTF-16) + " +
            $"{ordinaryAt.Count} ordinary ones in one call, {watch.ElapsedMilliseconds} ms: all embedded but {outOfTable} holding a token past the " +
            $"{rows}-row embedding table, which failed alone with a typed error.");
    }

    [Theory]
    [InlineData("minilm")]
    [InlineData("siglip2")]
    [InlineData("embeddinggemma")]
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
                Assert.True(Vectors.BitwiseEqual(ordinary, results[i].Vector.Span) || VectorDifference.MaxAbs(ordinary, results[i].Vector.Span) <= Tolerance, $"ordinary text at {i}");
                continue;
            }

            if (results[i].Succeeded)
            {
                // Some long texts are short in tokens: BERT turns a word over 100 characters into one [UNK].
                Vectors.AssertUnitAndFinite(results[i].Vector.Span, inputs[i].ToString());
                Assert.NotEqual("1 MB of words", inputs[i].Name);
                continue;
            }

            var error = Assert.IsType<EmbeddingInputException>(results[i].Error);
            Assert.Equal(EmbeddingInputError.TooLarge, error.Reason);
            Assert.Contains(inputs[i].Name!, error.Message, StringComparison.Ordinal);
            tooLarge++;
        }

        output.WriteLine($"{model}: {tooLarge} of {corpus.Length} hostile texts refused as TooLarge with truncation off; the rest embedded.");
    }

    /// <summary>The rows of the model's token embedding table (config.json <c>vocab_size</c>) and the tokens a text is
    /// truncated to (sentence_bert_config.json <c>max_seq_length</c>, else the text tower's positions).</summary>
    private static (int Rows, int MaxLength) ModelLimits(string model)
    {
        string folder = ReliabilityModels.Folder(model);
        using var config = System.Text.Json.JsonDocument.Parse(File.ReadAllBytes(Path.Combine(folder, "config.json")));
        System.Text.Json.JsonElement root = config.RootElement;
        System.Text.Json.JsonElement text = root.TryGetProperty("text_config", out System.Text.Json.JsonElement t) ? t : root;
        string sbert = Path.Combine(folder, "sentence_bert_config.json");
        int maxLength = File.Exists(sbert)
            ? System.Text.Json.JsonDocument.Parse(File.ReadAllBytes(sbert)).RootElement.GetProperty("max_seq_length").GetInt32()
            : text.GetProperty("max_position_embeddings").GetInt32();
        return (text.GetProperty("vocab_size").GetInt32(), maxLength);
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
            worst = Math.Max(worst, VectorDifference.MaxAbs(expected[inputs[i].Text!], results[i].Vector.Span));
        }

        output.WriteLine($"minilm: {Count:N0} texts in one call in {watch.ElapsedMilliseconds} ms; largest difference from the text embedded in another batch {worst:E2}.");
        Assert.True(worst <= Tolerance, $"a text's vector depends on its batch: {worst:E2}");
    }
}
