using System.Text.Json;
using Embeddings.Local;
using Embeddings.TestSupport;

namespace Embeddings.Cli;

/// <summary>The tool's <c>embed</c> output against <see cref="LocalOnnxProvider"/> in-process, and its exit codes.</summary>
public sealed class EmbedCommandTests : IDisposable
{
    private static readonly string[] s_texts = ["a red bamboo chair", "", "naïve café 🚀", "the quick brown fox jumps over the lazy dog"];
    private readonly string _temp = Directory.CreateTempSubdirectory("embeddings-cli-").FullName;

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    public static TheoryData<string, string[]> TextCases() => new()
    {
        { "minilm", [] },
        { "minilm", ["--no-normalize"] },
        { "embeddinggemma", ["--prompt", "query"] },
        { "embeddinggemma", ["--prompt", "document", "--dimensions", "16"] },
    };

    [Theory]
    [MemberData(nameof(TextCases))]
    public async Task Embed_Texts_MatchLibraryExactly(string model, string[] options)
    {
        string folder = TestAssets.TinyModelDir(model);

        CliResult result = await CliProcess.RunAsync(["embed", "--model", folder, .. options, .. s_texts.SelectMany(t => new[] { "--text", t })]);

        Assert.True(result.ExitCode == 0, result.ToString());
        using LocalOnnxProvider provider = LocalOnnxProvider.Create(folder);
        IReadOnlyList<EmbeddingResult> expected = await provider.EmbedAsync([.. s_texts.Select(t => EmbeddingInput.FromText(t))], RequestOptions(options),
            cancellationToken: TestContext.Current.CancellationToken);
        IReadOnlyList<JsonElement> lines = result.JsonLines;
        Assert.Equal(s_texts.Length, lines.Count);
        for (int i = 0; i < lines.Count; i++)
        {
            Vectors.AssertIdentical(expected[i].Vector.Span, Vectors.Embedding(lines[i]));
        }

        if (options.Contains("--dimensions"))
        {
            Assert.Equal(16, lines[0].GetProperty("embedding").GetArrayLength());
        }
    }

    [Fact]
    public async Task Embed_MixedTextsAndImages_KeepCommandLineOrderAndMatchLibrary()
    {
        string folder = TestAssets.TinyModelDir("siglip2");
        string[] images = [.. TestAssets.AllImages().Take(3)];
        EmbeddingInput[] inputs =
        [
            EmbeddingInput.FromImageFile(images[0]), EmbeddingInput.FromText("a cat"), EmbeddingInput.FromImageFile(images[1]),
            EmbeddingInput.FromText("a dog"), EmbeddingInput.FromImageFile(images[2]),
        ];

        CliResult result = await CliProcess.RunAsync(
            ["embed", "--model", folder, "--image", images[0], "--text", "a cat", "-i", images[1], "-t", "a dog", "--image", images[2]]);

        Assert.True(result.ExitCode == 0, result.ToString());
        using LocalOnnxProvider provider = LocalOnnxProvider.Create(folder);
        IReadOnlyList<EmbeddingResult> expected = await provider.EmbedAsync(inputs, cancellationToken: TestContext.Current.CancellationToken);
        Vectors.AssertLines(expected, result);
    }

    [Fact]
    public async Task Embed_JsonLinesOnStdin_MatchLibraryAndReportBadLinesInPlace()
    {
        string folder = TestAssets.TinyModelDir("siglip2");
        string image = TestAssets.AllImages().First();
        string stdin = $"{{\"text\":\"a cat\"}}\n{JsonSerializer.Serialize(new { image })}\n{{\"texts\":1}}\n\"a bare string\"\n";

        CliResult result = await CliProcess.RunAsync(["embed", "--model", folder], stdin);

        Assert.Equal(2, result.ExitCode);
        using LocalOnnxProvider provider = LocalOnnxProvider.Create(folder);
        IReadOnlyList<EmbeddingResult> expected = await provider.EmbedAsync(
            [EmbeddingInput.FromText("a cat"), EmbeddingInput.FromImageFile(image), EmbeddingInput.FromText("a bare string")],
                cancellationToken: TestContext.Current.CancellationToken);
        IReadOnlyList<JsonElement> lines = result.JsonLines;
        Assert.Equal(4, lines.Count);
        Vectors.AssertIdentical(expected[0].Vector.Span, Vectors.Embedding(lines[0]));
        Vectors.AssertIdentical(expected[1].Vector.Span, Vectors.Embedding(lines[1]));
        Assert.Equal("Invalid", lines[2].GetProperty("error").GetProperty("type").GetString());
        Assert.Contains("line 3", lines[2].GetProperty("error").GetProperty("message").GetString(), StringComparison.OrdinalIgnoreCase);
        Vectors.AssertIdentical(expected[2].Vector.Span, Vectors.Embedding(lines[3]));
    }

    [Fact]
    public async Task Embed_BadImageAmongGood_WritesTypedErrorInPlaceAndExitsTwo()
    {
        string folder = TestAssets.TinyModelDir("siglip2");
        string[] good = [.. TestAssets.AllImages().Take(2)];
        string bad = Path.Combine(_temp, "secret-holiday.jpg");
        await File.WriteAllTextAsync(bad, "PRIVATE CONTENT, not an image", TestContext.Current.CancellationToken);

        CliResult result = await CliProcess.RunAsync(["embed", "--model", folder, "--image", good[0], "--image", bad, "--image", good[1]]);

        Assert.Equal(2, result.ExitCode);
        IReadOnlyList<JsonElement> lines = result.JsonLines;
        Assert.Equal(3, lines.Count);
        Assert.True(lines[0].TryGetProperty("embedding", out _));
        JsonElement error = lines[1].GetProperty("error");
        Assert.Contains(error.GetProperty("type").GetString(), new[] { "Corrupt", "UnsupportedFormat" });
        Assert.Contains("secret-holiday.jpg", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("PRIVATE CONTENT", result.Stdout + result.Stderr, StringComparison.Ordinal);
        Assert.True(lines[2].TryGetProperty("embedding", out _));
    }

    [Fact]
    public async Task Embed_OutNpy_WritesRowsNumPyReadsAndRowLines()
    {
        string folder = TestAssets.TinyModelDir("minilm");
        string npy = Path.Combine(_temp, "vectors.npy");

        CliResult result = await CliProcess.RunAsync(["embed", "--model", folder, "--out", npy, .. s_texts.SelectMany(t => new[] { "--text", t })]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(Enumerable.Range(0, s_texts.Length), result.JsonLines.Select(l => l.GetProperty("row").GetInt32()));
        using LocalOnnxProvider provider = LocalOnnxProvider.Create(folder);
        IReadOnlyList<EmbeddingResult> expected = await provider.EmbedAsync([.. s_texts.Select(t => EmbeddingInput.FromText(t))],
            cancellationToken: TestContext.Current.CancellationToken);
        (int[] shape, float[] data) = await ReadNpyWithNumPyAsync(npy);
        int dimensions = expected[0].Vector.Length;
        Assert.Equal([s_texts.Length, dimensions], shape);
        for (int i = 0; i < s_texts.Length; i++)
        {
            Vectors.AssertIdentical(expected[i].Vector.Span, data.AsSpan(i * dimensions, dimensions));
        }
    }

    [Fact]
    public async Task Embed_UnknownPrompt_IsAConfigurationErrorOnOneLine()
    {
        CliResult result = await CliProcess.RunAsync(["embed", "--model", TestAssets.TinyModelDir("embeddinggemma"), "--prompt", "nonsense", "--text", "x"]);

        Assert.Equal(1, result.ExitCode);
        Assert.Empty(result.StdoutBytes);
        string line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("nonsense", line, StringComparison.Ordinal);
    }

    private static EmbeddingRequestOptions RequestOptions(string[] options)
    {
        int prompt = Array.IndexOf(options, "--prompt");
        int dimensions = Array.IndexOf(options, "--dimensions");
        return new EmbeddingRequestOptions
        {
            PromptName = prompt < 0 ? null : options[prompt + 1],
            Dimensions = dimensions < 0 ? null : int.Parse(options[dimensions + 1], System.Globalization.CultureInfo.InvariantCulture),
            Normalize = options.Contains("--no-normalize") ? false : null,
        };
    }

    /// <summary>Reads a .npy file with NumPy itself (Debian's python3-numpy): its shape and dtype, and its data as
    /// raw little-endian float32.</summary>
    private static async Task<(int[] Shape, float[] Data)> ReadNpyWithNumPyAsync(string path)
    {
        string raw = path + ".raw";
        var start = new System.Diagnostics.ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("import sys, numpy; a = numpy.load(sys.argv[1]); assert a.dtype == numpy.dtype('<f4'), a.dtype; "
            + "print(','.join(map(str, a.shape))); a.astype('<f4').tofile(sys.argv[2])");
        start.ArgumentList.Add(path);
        start.ArgumentList.Add(raw);
        using var python = System.Diagnostics.Process.Start(start)!;
        string shape = await python.StandardOutput.ReadToEndAsync();
        string error = await python.StandardError.ReadToEndAsync();
        await python.WaitForExitAsync();
        Assert.True(python.ExitCode == 0, error);
        byte[] bytes = await File.ReadAllBytesAsync(raw);
        return ([.. shape.Trim().Split(',').Select(s => int.Parse(s, System.Globalization.CultureInfo.InvariantCulture))],
            System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(bytes).ToArray());
    }
}
