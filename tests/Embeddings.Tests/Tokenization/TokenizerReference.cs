using System.Collections.Concurrent;
using System.Text.Json;
using Embeddings.TestSupport;

namespace Embeddings.Tokenization;

/// <summary>
/// The outputs of Hugging Face's Rust tokenizers (written by eng/references/tokenization/generate.mjs) for one
/// tokenizer and one configuration, and the matching tokenizer of this library.
/// </summary>
internal sealed class TokenizerReference
{
    private static readonly ConcurrentDictionary<string, Lazy<Tokenizer>> s_tokenizers = new();
    private static readonly Lazy<string[]> s_corpus = new(() =>
        [.. File.ReadLines(Path.Combine(TestAssets.RepoRoot, "testdata", "tokenization", "corpus.jsonl"))
            .Where(l => l.Length > 0)
            .Select(l => JsonSerializer.Deserialize<string>(l)!)]);

    private TokenizerReference(string tokenizer, string config, JsonElement root)
    {
        TokenizerName = tokenizer;
        ConfigName = config;
        JsonElement c = root.GetProperty("config");
        Pairs = Bool(c, "pairs") ?? false;
        BatchSize = Int(c, "batchSize");
        Padding = Str(c, "padding") switch
        {
            "longest" => PaddingMode.Longest,
            "max_length" => PaddingMode.MaxLength,
            _ => PaddingMode.None,
        };
        Options = new EncodeOptions
        {
            AddSpecialTokens = Bool(c, "addSpecialTokens") ?? true,
            Padding = Padding,
            Truncation = Bool(c, "truncation"),
            MaxLength = Int(c, "maxLength"),
            PadToMultipleOf = Int(c, "padToMultipleOf"),
            TruncationStrategy = Str(c, "strategy") switch
            {
                "OnlyFirst" => TruncationStrategy.OnlyFirst,
                "OnlySecond" => TruncationStrategy.OnlySecond,
                _ => TruncationStrategy.LongestFirst,
            },
        };
        Results = [.. root.GetProperty("results").EnumerateArray().Select(Expected.From)];
    }

    public string TokenizerName { get; }

    public string ConfigName { get; }

    public bool Pairs { get; }

    public int? BatchSize { get; }

    public PaddingMode Padding { get; }

    public EncodeOptions Options { get; }

    public IReadOnlyList<Expected> Results { get; }

    public static string Root => TestAssets.ReferencesDir("tokenization");

    public static IReadOnlyList<string> Corpus => s_corpus.Value;

    /// <summary>Gets the (tokenizer, configuration) pairs the reference generator wrote.</summary>
    public static IEnumerable<(string Tokenizer, string Config)> Cases(Func<string, bool> tokenizerFilter)
    {
        if (!Directory.Exists(Root))
        {
            yield return ("(missing: run eng/prepare.sh)", "-");
            yield break;
        }

        foreach (string dir in Directory.EnumerateDirectories(Root).Order(StringComparer.Ordinal))
        {
            string name = Path.GetFileName(dir);
            if (!tokenizerFilter(name))
            {
                continue;
            }

            foreach (string file in Directory.EnumerateFiles(dir, "*.json").Order(StringComparer.Ordinal))
            {
                if (Path.GetFileName(file) is not ("tokenizer_config.json" or "vocab.json"))
                {
                    yield return (name, Path.GetFileNameWithoutExtension(file));
                }
            }
        }
    }

    public static TokenizerReference Load(string tokenizer, string config)
    {
        string file = Path.Combine(Root, tokenizer, config + ".json");
        Assert.True(File.Exists(file), $"The reference {file} is missing; run eng/prepare.sh.");
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllBytes(file));
        return new TokenizerReference(tokenizer, config, doc.RootElement);
    }

    /// <summary>Gets this library's tokenizer for a reference tokenizer name (loaded once per test run).</summary>
    public static Tokenizer TokenizerFor(string name) => s_tokenizers.GetOrAdd(name, n => new Lazy<Tokenizer>(() => Create(n))).Value;

    /// <summary>Gets the inputs the reference encoded, in order.</summary>
    public IReadOnlyList<(string Text, string? Pair)> Inputs()
    {
        IReadOnlyList<string> corpus = Corpus;
        if (!TokenizerName.StartsWith("fixture-", StringComparison.Ordinal))
        {
            return [.. corpus.Select(t => (t, (string?)null))];
        }

        // The generator gives fixtures the first 700 strings, and pairs of consecutive ones.
        IReadOnlyList<string> singles = [.. corpus.Take(700)];
        if (!Pairs)
        {
            return [.. singles.Select(t => (t, (string?)null))];
        }

        var pairs = new List<(string, string?)>();
        for (int i = 0; i + 1 < singles.Count; i += 2)
        {
            pairs.Add((singles[i], singles[i + 1]));
        }

        return pairs;
    }

    private static Tokenizer Create(string name)
    {
        string repo = TestAssets.RepoRoot;
        return name switch
        {
            "gemma3" => Tokenizer.Create(TestAssets.TokenizerDir("gemma3")),
            "gemma3-eos" => Tokenizer.Create(Path.Combine(TestAssets.TokenizerDir("gemma3"), "tokenizer.json"), Path.Combine(Root, "gemma3-eos", "tokenizer_config.json")),
            "clip" => Tokenizer.Create(TestAssets.TokenizerDir("clip-vit-base-patch32")),
            "minilm" => Tokenizer.Create(TestAssets.TokenizerDir("all-MiniLM-L6-v2")),
            _ when name.StartsWith("fixture-", StringComparison.Ordinal) => Fixture(repo, name["fixture-".Length..]),
            _ => throw new ArgumentException("Unknown reference tokenizer " + name),
        };
    }

    private static Tokenizer Fixture(string repo, string name)
    {
        string dir = Path.Combine(repo, "testdata", "tokenization", "fixtures");
        string config = Path.Combine(dir, name + ".config.json");
        return Tokenizer.Create(Path.Combine(dir, name + ".json"), File.Exists(config) ? config : null);
    }

    private static bool? Bool(JsonElement e, string name) =>
        e.TryGetProperty(name, out JsonElement v) && v.ValueKind is JsonValueKind.True or JsonValueKind.False ? v.GetBoolean() : null;

    private static int? Int(JsonElement e, string name) =>
        e.TryGetProperty(name, out JsonElement v) && v.ValueKind == JsonValueKind.Number ? v.GetInt32() : null;

    private static string? Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out JsonElement v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    /// <summary>One expected encoding (or the error the Rust library raised).</summary>
    internal sealed record Expected(int[] Ids, string Mask, string Types, string Special, int[]? Offsets, string? Decoded, string? DecodedSkip, string? Error)
    {
        public static Expected From(JsonElement e)
        {
            if (e.TryGetProperty("error", out JsonElement error))
            {
                return new Expected([], "", "", "", null, null, null, error.GetString());
            }

            return new Expected(
                [.. e.GetProperty("ids").EnumerateArray().Select(x => x.GetInt32())],
                e.GetProperty("mask").GetString()!,
                e.GetProperty("types").GetString()!,
                e.GetProperty("special").GetString()!,
                e.TryGetProperty("offsets", out JsonElement o) ? [.. o.EnumerateArray().Select(x => x.GetInt32())] : null,
                Str(e, "decoded"),
                Str(e, "decodedSkip"),
                null);
        }
    }
}
