using System.Text;
using System.Text.Json;

namespace Embeddings.Cli;

/// <summary>What a run of the tool produced.</summary>
internal sealed record CliResult(int ExitCode, byte[] StdoutBytes, string Stderr)
{
    public string Stdout => Encoding.UTF8.GetString(StdoutBytes);

    /// <summary>Gets stdout's lines, each parsed as JSON.</summary>
    public IReadOnlyList<JsonElement> JsonLines =>
        [.. Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.Clone())];

    public override string ToString() => $"exit {ExitCode}; stderr: {Stderr}";
}
