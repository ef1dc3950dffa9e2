using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Embeddings.TestSupport;

namespace Embeddings.Tokenization;

/// <summary>Loading, options, batching, vocabulary lookups, concurrency and failure behavior of <see cref="Tokenizer"/>.</summary>
public sealed class TokenizerTests(ITestOutputHelper output)
{
    private const string WordLevelModel = """{"type":"WordLevel","vocab":{"<unk>":0,"hello":1,"world":2,"<pad>":3},"unk_token":"<unk>"}""";

    [Theory]
    [InlineData("normalizer", """{"type":"Nmt"}""", "the normalizer type \"Nmt\"")]
    [InlineData("pre_tokenizer", """{"type":"UnicodeScripts"}""", "the pre-tokenizer type \"UnicodeScripts\"")]
    [InlineData("post_processor", """{"type":"Whatever"}""", "the post-processor type \"Whatever\"")]
    [InlineData("pre_tokenizer", """{"type":"Split","pattern":{"Regex":"\\p{Han}+"},"behavior":"Isolated","invert":false}""", "\\p{Han}")]
    [InlineData("pre_tokenizer", """{"type":"Split","pattern":{"Regex":"a++"},"behavior":"Isolated","invert":false}""", "possessive")]
    [InlineData("normalizer", """{"type":"Replace","pattern":{"Regex":"[[:alpha:]]"},"content":""}""", "POSIX")]
    [InlineData("pre_tokenizer", """{"type":"Metaspace","replacement":"\u2581","prepend_scheme":"sometimes"}""", "prepend_scheme \"sometimes\"")]
    public void Create_UnsupportedComponent_ThrowsEmbeddingModelExceptionNamingFeatureAndFile(string section, string json, string feature)
    {
        string path = WriteTokenizer(WordLevelModel, (section, json));
        EmbeddingModelException ex = Assert.Throws<EmbeddingModelException>(() => Tokenizer.Create(path));
        Assert.Equal(path, ex.Model);
        Assert.Contains(feature, ex.Message, StringComparison.Ordinal);
        Assert.Contains("not support", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_BpeDropout_ThrowsEmbeddingModelException()
    {
        string path = WriteTokenizer("""{"type":"BPE","dropout":0.1,"vocab":{"a":0,"b":1,"ab":2},"merges":["a b"]}""");
        EmbeddingModelException ex = Assert.Throws<EmbeddingModelException>(() => Tokenizer.Create(path));
        Assert.Contains("dropout", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_UnknownModelType_ThrowsEmbeddingModelException()
    {
        string path = WriteTokenizer("""{"type":"Backtracking","vocab":{"a":0}}""");
        EmbeddingModelException ex = Assert.Throws<EmbeddingModelException>(() => Tokenizer.Create(path));
        Assert.Contains("Backtracking", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("""{"model":{"type":"BPE","vocab":{"a":0},"merges":["a b"]}}""")]
    [InlineData("""{"normalizer":null}""")]
    [InlineData("[]")]
    public void Create_MalformedFile_ThrowsEmbeddingModelExceptionNamingFile(string content)
    {
        string path = Path.Combine(NewDirectory(), "tokenizer.json");
        File.WriteAllText(path, content);
        EmbeddingModelException ex = Assert.Throws<EmbeddingModelException>(() => Tokenizer.Create(path));
        Assert.Equal(path, ex.Model);
    }

    [Fact]
    public void Create_MissingFolder_ThrowsEmbeddingModelException()
    {
        string folder = NewDirectory();
        EmbeddingModelException ex = Assert.Throws<EmbeddingModelException>(() => Tokenizer.Create(folder));
        Assert.EndsWith("tokenizer.json", ex.Model, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_ModelFieldsInAnyOrderAndEscapedMerges_LoadTheSameModel()
    {
        // A real fixture's model, its fields written in the usual order and then reversed (merges before the
        // vocabulary, the continuing-subword prefix last), with every merge string escaped as \uXXXX.
        string fixture = Path.Combine(TestAssets.RepoRoot, "testdata", "tokenization", "fixtures", "bpe-prefix-splits.json");
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllBytes(fixture));
        JsonElement model = doc.RootElement.GetProperty("model");
        var escaped = new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.Default };
        string reversed = "{" + string.Join(",", model.EnumerateObject().Reverse().Select(p => JsonSerializer.Serialize(p.Name) + ":"
            + (p.Name == "merges" ? JsonSerializer.Serialize(p.Value, escaped).Replace("a", "\\u0061", StringComparison.Ordinal) : p.Value.GetRawText()))) + "}";
        string usual = WriteTokenizer(model.GetRawText(), ("pre_tokenizer", """{"type":"WhitespaceSplit"}"""));
        string other = WriteTokenizer(reversed, ("pre_tokenizer", """{"type":"WhitespaceSplit"}"""));
        Tokenizer a = Tokenizer.Create(usual), b = Tokenizer.Create(other);
        foreach (string text in TokenizerReference.Corpus.Take(400))
        {
            Assert.Equal(a.Encode(text).Ids.ToArray(), b.Encode(text).Ids.ToArray());
        }
    }

    [Fact]
    public void Create_UnsupportedDecoder_LoadsAndEncodesButDecodeThrows()
    {
        string path = WriteTokenizer(WordLevelModel, ("pre_tokenizer", """{"type":"WhitespaceSplit"}"""), ("decoder", """{"type":"CTC","pad_token":"<pad>"}"""));
        Tokenizer tokenizer = Tokenizer.Create(path);
        TokenizedText encoded = tokenizer.Encode("hello world");
        Assert.Equal([1, 2], encoded.Ids.ToArray());
        NotSupportedException ex = Assert.Throws<NotSupportedException>(() => tokenizer.Decode(encoded.Ids.Span));
        Assert.Contains("CTC", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateFromStreamsAndAsync_SameFolder_EncodeIdentically()
    {
        string dir = TestAssets.TokenizerDir("clip-vit-base-patch32");
        Tokenizer fromFolder = Tokenizer.Create(dir);
        using FileStream json = File.OpenRead(Path.Combine(dir, "tokenizer.json"));
        using FileStream config = File.OpenRead(Path.Combine(dir, "tokenizer_config.json"));
        Tokenizer fromStreams = Tokenizer.Create(json, config);
        Tokenizer fromAsync = await Tokenizer.CreateAsync(dir, TestContext.Current.CancellationToken);
        foreach (string text in TokenizerReference.Corpus.Take(200))
        {
            int[] expected = fromFolder.Encode(text).Ids.ToArray();
            Assert.Equal(expected, fromStreams.Encode(text).Ids.ToArray());
            Assert.Equal(expected, fromAsync.Encode(text).Ids.ToArray());
        }

        Assert.True(json.CanRead, "The caller's stream is left open.");
        Assert.Equal(77, fromStreams.ModelMaxLength);
    }

    [Theory]
    [InlineData("gemma3")]
    [InlineData("clip")]
    [InlineData("minilm")]
    public void VocabularyLookups_RealTokenizer_MatchRustTokenizers(string name)
    {
        string file = Path.Combine(TokenizerReference.Root, name, "vocab.json");
        Assert.True(File.Exists(file), "Reference missing; run eng/prepare.sh.");
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllBytes(file));
        Tokenizer tokenizer = TokenizerReference.TokenizerFor(name);
        Assert.Equal(doc.RootElement.GetProperty("size").GetInt32(), tokenizer.VocabularySize);
        foreach (JsonElement pair in doc.RootElement.GetProperty("ids").EnumerateArray())
        {
            Assert.Equal(pair[1].ValueKind == JsonValueKind.Null ? null : pair[1].GetString(), tokenizer.IdToToken(pair[0].GetInt32()));
        }

        foreach (JsonElement pair in doc.RootElement.GetProperty("tokens").EnumerateArray())
        {
            Assert.Equal(pair[1].ValueKind == JsonValueKind.Null ? null : pair[1].GetInt32(), tokenizer.TokenToId(pair[0].GetString()!));
        }
    }

    [Fact]
    public void Encode_UnpairedSurrogate_EncodesAsReplacementCharacter()
    {
        Tokenizer clip = TokenizerReference.TokenizerFor("clip");
        Assert.Equal(clip.Encode("x\uFFFDy").Ids.ToArray(), clip.Encode("x\uD800y").Ids.ToArray());
        Assert.Equal(clip.Encode("\uFFFD").Ids.ToArray(), clip.Encode("\uDC00").Ids.ToArray());
        Assert.NotEqual(clip.Encode("xy").Ids.ToArray(), clip.Encode("x\uD800y").Ids.ToArray());
    }

    [Fact]
    public void Encode_ManyThreadsAtOnce_MatchesSequentialEncoding()
    {
        Tokenizer tokenizer = TokenizerReference.TokenizerFor("gemma3");
        IReadOnlyList<string> corpus = TokenizerReference.Corpus;
        int[][] expected = [.. corpus.Select(t => tokenizer.Encode(t).Ids.ToArray())];
        var actual = new int[corpus.Count][];
        Parallel.For(0, corpus.Count * 2, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            int k = i % corpus.Count;
            actual[k] = tokenizer.Encode(corpus[k]).Ids.ToArray();
        });
        for (int i = 0; i < corpus.Count; i++)
        {
            Assert.Equal(expected[i], actual[i]);
        }
    }

    [Fact]
    public void EncodeBatch_RaggedTexts_FillsRowMajorBuffersPaddedOnTheConfiguredSide()
    {
        Tokenizer gemma = TokenizerReference.TokenizerFor("gemma3");
        Assert.Equal(PaddingSide.Left, gemma.PaddingSide);
        string[] texts = ["short", "a somewhat longer text with more tokens", ""];
        TokenizedBatch batch = gemma.EncodeBatch(texts, new EncodeOptions { Padding = PaddingMode.Longest });
        int[][] single = [.. texts.Select(t => gemma.Encode(t).Ids.ToArray())];
        int longest = single.Max(s => s.Length);
        Assert.Equal(3, batch.Count);
        Assert.Equal(longest, batch.SequenceLength);
        Assert.Equal(3 * longest, batch.InputIds.Length);
        for (int row = 0; row < texts.Length; row++)
        {
            ReadOnlySpan<long> ids = batch.InputIds.Span.Slice(row * longest, longest);
            ReadOnlySpan<long> mask = batch.AttentionMask.Span.Slice(row * longest, longest);
            int pad = longest - single[row].Length;
            for (int k = 0; k < longest; k++)
            {
                // Left padding: pad ids and mask 0 first, then the row's own tokens.
                Assert.Equal(k < pad ? gemma.PadTokenId!.Value : single[row][k - pad], ids[k]);
                Assert.Equal(k < pad ? 0 : 1, mask[k]);
            }
        }
    }

    [Fact]
    public void EncodeBatch_NoPaddingRequested_StillReturnsRectangularBuffers()
    {
        Tokenizer minilm = TokenizerReference.TokenizerFor("minilm");
        TokenizedBatch batch = minilm.EncodeBatch(["hello", "hello world again"]);
        Assert.Equal(5, batch.SequenceLength);
        Assert.Equal([101, 7592, 102, 0, 0], batch.InputIds.Span[..5].ToArray());
        Assert.Equal([1, 1, 1, 0, 0], batch.AttentionMask.Span[..5].ToArray());
        Assert.Equal([0L, 0, 0, 0, 0], batch.TokenTypeIds.Span[..5].ToArray());
    }

    [Fact]
    public void Encode_MaxLengthPaddingWithTruncation_ReturnsFixedLengthEndingWithEos()
    {
        Tokenizer gemma = TokenizerReference.TokenizerFor("gemma3-eos");
        var options = new EncodeOptions { Padding = PaddingMode.MaxLength, Truncation = true, MaxLength = 64 };
        int eos = gemma.TokenToId("<eos>")!.Value;
        foreach (string text in TokenizerReference.Corpus.Take(300))
        {
            TokenizedText t = gemma.Encode(text, options);
            Assert.Equal(64, t.Length);

            // Truncation keeps room for the special tokens: the last attended token is always EOS.
            Assert.Equal(eos, t.Ids.Span[t.AttentionMask.Span.LastIndexOf(1)]);
        }
    }

    [Theory]
    [InlineData("clip")]
    [InlineData("minilm")]
    public void Encode_HalfMillionCharacterText_EqualsConcatenatedEncodingsOfItsWords(string name)
    {
        // These tokenizers split on whitespace before anything else, so a huge text of space-separated parts
        // encodes to the concatenation of the parts' encodings (and the scratch it needed is released).
        Tokenizer tokenizer = TokenizerReference.TokenizerFor(name);
        string[] parts = [.. TokenizerReference.Corpus.Where(t => t.Length > 40 && !t.Any(char.IsWhiteSpace)).Take(20)];
        parts = parts.Length > 0 ? parts : ["antidisestablishmentarianism", "Größere", "東京都渋谷区"];
        var options = new EncodeOptions { AddSpecialTokens = false };
        var text = new StringBuilder();
        var expected = new List<int>();
        for (int i = 0; text.Length < 500_000; i++)
        {
            string part = parts[i % parts.Length] + "w" + (i % 97);
            text.Append(part).Append(' ');
            expected.AddRange(tokenizer.Encode(part, options).Ids.ToArray());
        }

        TokenizedText huge = tokenizer.Encode(text.ToString(), options);
        Assert.Equal(expected, huge.Ids.ToArray());
        Assert.All(huge.Offsets.ToArray(), o => Assert.InRange(o.End, o.Start, text.Length));
    }

    [Fact]
    public void Encode_PaddingWithoutPadToken_ThrowsInvalidOperationException()
    {
        string path = WriteTokenizer(WordLevelModel, ("pre_tokenizer", """{"type":"WhitespaceSplit"}"""));
        Tokenizer tokenizer = Tokenizer.Create(path);
        Assert.Null(tokenizer.PadTokenId);
        Assert.Throws<InvalidOperationException>(() => tokenizer.Encode("hello", new EncodeOptions { Padding = PaddingMode.Longest }));

        // Padding to a maximum length that is not known is no padding, as in transformers.
        Assert.Equal(1, tokenizer.Encode("hello", new EncodeOptions { Padding = PaddingMode.MaxLength }).Length);
    }

    [Theory]
    [InlineData(0, null)]
    [InlineData(-3, null)]
    [InlineData(null, 0)]
    public void Encode_InvalidOptions_ThrowsArgumentOutOfRange(int? maxLength, int? multiple)
    {
        Tokenizer minilm = TokenizerReference.TokenizerFor("minilm");
        Assert.Throws<ArgumentOutOfRangeException>(() => minilm.Encode("hello", new EncodeOptions { MaxLength = maxLength, PadToMultipleOf = multiple, Truncation = true }));
    }

    [Fact]
    public void Encode_NullArguments_ThrowArgumentNullException()
    {
        Tokenizer minilm = TokenizerReference.TokenizerFor("minilm");
        Assert.Throws<ArgumentNullException>(() => minilm.Encode(null!));
        Assert.Throws<ArgumentNullException>(() => minilm.EncodeBatch(null!));
        Assert.Throws<ArgumentException>(() => minilm.EncodeBatch(["a", null!]));
        Assert.Throws<ArgumentException>(() => minilm.EncodeBatch(["a", "b"], ["c"]));
    }

    [Fact]
    public void Encode_RepeatedOverCorpus_KeepsMemoryFlat()
    {
        Tokenizer gemma = TokenizerReference.TokenizerFor("gemma3");
        IReadOnlyList<string> corpus = TokenizerReference.Corpus;
        for (int i = 0; i < 2; i++)
        {
            foreach (string text in corpus)
            {
                gemma.Encode(text);
            }
        }

        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        long before = Process.GetCurrentProcess().WorkingSet64;
        for (int i = 0; i < 8; i++)
        {
            foreach (string text in corpus)
            {
                gemma.Encode(text, new EncodeOptions { Padding = PaddingMode.MaxLength, Truncation = true, MaxLength = 64 });
            }
        }

        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        long after = Process.GetCurrentProcess().WorkingSet64;
        output.WriteLine($"RSS before {before / 1048576.0:F1} MiB, after {8 * corpus.Count} more encodes {after / 1048576.0:F1} MiB");
        Assert.True(after - before < 64L * 1024 * 1024, $"RSS grew by {(after - before) / 1048576.0:F1} MiB");
    }

    private static string WriteTokenizer(string model, params (string Section, string Json)[] sections)
    {
        var sb = new StringBuilder("{\"version\":\"1.0\",\"added_tokens\":[]");
        foreach ((string section, string json) in sections)
        {
            sb.Append(",\"").Append(section).Append("\":").Append(json);
        }

        sb.Append(",\"model\":").Append(model).Append('}');
        string path = Path.Combine(NewDirectory(), "tokenizer.json");
        File.WriteAllText(path, sb.ToString());
        return path;
    }

    private static string NewDirectory()
    {
        string dir = Path.Combine(Path.GetTempPath(), "embeddings-tokenizer-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }
}
