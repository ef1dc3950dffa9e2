using System.Runtime.InteropServices;
using System.Text.Json;

namespace Embeddings.Benchmarks.SideBySide;

/// <summary>
/// One measurement as a line of JSON on stdout, the format every side (ours and the peers' scripts) prints for
/// benchmarks/run.sh. Each line names the runtime that produced it.
/// </summary>
internal static class ResultLine
{
    public static void Write(string kind, Dictionary<string, object?> fields)
    {
        var line = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["side"] = "ours",
            ["kind"] = kind,
            ["runtime"] = RuntimeInformation.FrameworkDescription,
        };
        foreach ((string key, object? value) in fields)
        {
            line[key] = value;
        }

        Console.Out.WriteLine(JsonSerializer.Serialize(line));
        Console.Out.Flush();
    }
}
