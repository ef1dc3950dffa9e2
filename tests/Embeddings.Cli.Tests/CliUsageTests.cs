using Embeddings.TestSupport;

namespace Embeddings.Cli;

/// <summary>Help, usage errors and their exit codes.</summary>
public sealed class CliUsageTests
{
    public static TheoryData<string[]> Commands() => new()
    {
        Array.Empty<string>(), new[] { "embed" }, new[] { "search" }, new[] { "classify" }, new[] { "aspects" }, new[] { "tokenize" },
        new[] { "preprocess" }, new[] { "serve" }, new[] { "models" }, new[] { "models", "list" }, new[] { "models", "fetch" },
        new[] { "models", "generate" },
    };

    [Theory]
    [MemberData(nameof(Commands))]
    public async Task Help_EveryCommand_PrintsUsageAndExamplesAndExitsZero(string[] command)
    {
        CliResult result = await CliProcess.RunAsync([.. command, "--help"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("Usage:", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("Examples:", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("embeddings " + string.Join(' ', command), result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_Root_DocumentsExitCodes()
    {
        CliResult result = await CliProcess.RunAsync(["--help"]);

        Assert.Contains("Exit codes: 0 success; 1 usage or configuration error; 2 some inputs failed", result.Stdout.ReplaceLineEndings(" "), StringComparison.Ordinal);
    }

    public static TheoryData<string[], string> UsageErrors() => new()
    {
        { ["embed", "--model", "x", "--bogus"], "--bogus" },
        { ["embed", "--text", "no model"], "--model" },
        { ["tokenize", "--tokenizer", "x", "--padding", "sideways"], "sideways" },
        { ["search", "--model", "x", "folder"], "--query" },
        { ["frobnicate"], "frobnicate" },
    };

    [Theory]
    [MemberData(nameof(UsageErrors))]
    public async Task BadUsage_PrintsOneLineAndExitsOne(string[] args, string named)
    {
        CliResult result = await CliProcess.RunAsync(args);

        Assert.Equal(1, result.ExitCode);
        Assert.Empty(result.StdoutBytes);
        string line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(named, line, StringComparison.Ordinal);
        Assert.StartsWith("embeddings: ", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissingModelFolder_IsAConfigurationErrorWithoutStackTrace()
    {
        CliResult result = await CliProcess.RunAsync(["embed", "--model", "./no/such/model", "--text", "x"]);

        Assert.Equal(1, result.ExitCode);
        string line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("./no/such/model", line, StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verbose_AddsTheStackTrace()
    {
        CliResult result = await CliProcess.RunAsync(["embed", "--model", "./no/such/model", "--text", "x", "--verbose"]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("CliUsageException", result.Stderr, StringComparison.Ordinal);
        Assert.Contains(" at ", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissingNativeRuntime_IsFatalExitThree()
    {
        CliResult result = await CliProcess.RunAsync(
            ["embed", "--model", TestAssets.TinyModelDir("minilm"), "--text", "x"],
            environment: new Dictionary<string, string> { ["EMBEDDINGS_ONNXRUNTIME_PATH"] = "/nonexistent/libonnxruntime.so" });

        Assert.Equal(3, result.ExitCode);
        string line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("onnxruntime", line, StringComparison.OrdinalIgnoreCase);
    }
}
