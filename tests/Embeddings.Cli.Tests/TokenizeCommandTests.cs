using System.Text.Json;
using Embeddings.TestSupport;
using Embeddings.Tokenization;

namespace Embeddings.Cli;

/// <summary>The tool's <c>tokenize</c> output against the library's <see cref="Tokenizer"/> in-process.</summary>
public sealed class TokenizeCommandTests
{
    private static readonly string[] s_texts =
    [
        "Hello, world!",
        "",
        "A photo of a cat sitting on a red bamboo chair, next to a glass of water.",
        "naïve café — ünïcödé, 日本語のテキスト, emoji 🚀🐱 and tabs\tand\nnewlines",
        "   leading and trailing spaces   ",
        string.Join(' ', Enumerable.Repeat("long", 300)),
    ];

    public static TheoryData<string, string[]> Cases() => new()
    {
        { "all-MiniLM-L6-v2", [] },
        { "all-MiniLM-L6-v2", ["--max-length", "16", "--padding", "max_length", "--truncation"] },
        { "clip-vit-base-patch32", ["--padding", "longest"] },
        { "clip-vit-base-patch32", ["--max-length", "77", "--truncation"] },
        { "gemma3", ["--max-length", "64", "--padding", "max_length", "--truncation"] },
        { "gemma3", ["--no-special-tokens"] },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Tokenize_Lines_MatchLibraryExactly(string tokenizerName, string[] options)
    {
        string folder = TestAssets.TokenizerDir(tokenizerName);
        string stdin = string.Concat(s_texts.Select(t => JsonSerializer.Serialize(t) + "\n"));

        CliResult result = await CliProcess.RunAsync(["tokenize", "--tokenizer", folder, .. options], stdin);

        Assert.True(result.ExitCode == 0, result.ToString());
        IReadOnlyList<JsonElement> lines = result.JsonLines;
        Assert.Equal(s_texts.Length, lines.Count);
        Tokenizer tokenizer = Tokenizer.Create(folder);
        EncodeOptions encode = ToEncodeOptions(options);
        IReadOnlyList<TokenizedText> expected = encode.Padding == PaddingMode.Longest
            ? tokenizer.EncodeBatch(s_texts, encode).Items
            : [.. s_texts.Select(t => tokenizer.Encode(t, encode))];
        for (int i = 0; i < s_texts.Length; i++)
        {
            Assert.Equal(expected[i].Ids.ToArray(), lines[i].GetProperty("ids").EnumerateArray().Select(e => e.GetInt32()));
            Assert.Equal(expected[i].AttentionMask.ToArray(), lines[i].GetProperty("attention_mask").EnumerateArray().Select(e => e.GetInt32()));
        }

        // The options took effect: truncation and padding to max_length give every line that length.
        if (options.Contains("max_length"))
        {
            int max = int.Parse(options[Array.IndexOf(options, "--max-length") + 1], System.Globalization.CultureInfo.InvariantCulture);
            Assert.All(lines, l => Assert.Equal(max, l.GetProperty("ids").GetArrayLength()));
        }
    }

    [Fact]
    public async Task Tokenize_BadLine_WritesErrorLineInPlaceAndExitsTwo()
    {
        string folder = TestAssets.TokenizerDir("all-MiniLM-L6-v2");

        CliResult result = await CliProcess.RunAsync(["tokenize", "--tokenizer", folder], "\"good\"\n{\"not\":\"a string\"}\nnot json\n\"also good\"\n");

        Assert.Equal(2, result.ExitCode);
        IReadOnlyList<JsonElement> lines = result.JsonLines;
        Assert.Equal(4, lines.Count);
        Assert.True(lines[0].TryGetProperty("ids", out _));
        Assert.Equal("Invalid", lines[1].GetProperty("error").GetProperty("type").GetString());
        Assert.Contains("line 3", lines[2].GetProperty("error").GetProperty("message").GetString(), StringComparison.OrdinalIgnoreCase);
        Assert.True(lines[3].TryGetProperty("ids", out _));
    }

    [Fact]
    public async Task Tokenize_InvariantGlobalization_RefusesANormalizingTokenizerInsteadOfChangingIds()
    {
        // MiniLM strips accents (NFD), which .NET does not do in invariant mode: "café" would silently become other ids.
        string folder = TestAssets.TokenizerDir("all-MiniLM-L6-v2");
        var invariant = new Dictionary<string, string> { ["DOTNET_SYSTEM_GLOBALIZATION_INVARIANT"] = "1" };

        CliResult result = await CliProcess.RunAsync(["tokenize", "--tokenizer", folder], "\"caf\u00e9\"\n", invariant);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Empty(result.Stdout);
        Assert.Contains("invariant globalization mode", result.Stderr, StringComparison.Ordinal);
    }

    private static EncodeOptions ToEncodeOptions(string[] options)
    {
        int index = Array.IndexOf(options, "--max-length");
        int padding = Array.IndexOf(options, "--padding");
        return new EncodeOptions
        {
            MaxLength = index < 0 ? null : int.Parse(options[index + 1], System.Globalization.CultureInfo.InvariantCulture),
            Padding = padding < 0 ? PaddingMode.None : options[padding + 1] == "longest" ? PaddingMode.Longest : PaddingMode.MaxLength,
            Truncation = options.Contains("--truncation") ? true : null,
            AddSpecialTokens = !options.Contains("--no-special-tokens"),
        };
    }
}
