using System.Globalization;

namespace Embeddings.Benchmarks.SideBySide;

/// <summary>The <c>--name value</c> options of a side-by-side case; anything else is a positional argument.</summary>
internal sealed class SideArgs
{
    private readonly Dictionary<string, string> _options = new(StringComparer.Ordinal);
    private readonly List<string> _positional = [];

    public SideArgs(IReadOnlyList<string> args)
    {
        for (int i = 0; i < args.Count; i++)
        {
            if (args[i].StartsWith("--", StringComparison.Ordinal) && i + 1 < args.Count)
            {
                _options[args[i][2..]] = args[++i];
            }
            else
            {
                _positional.Add(args[i]);
            }
        }
    }

    /// <summary>Gets the arguments that are not options (file names).</summary>
    public IReadOnlyList<string> Positional => _positional;

    public string String(string name, string? fallback = null) =>
        _options.TryGetValue(name, out string? value) ? value : fallback ?? throw new ArgumentException($"--{name} is required.");

    public int Int(string name, int fallback) =>
        _options.TryGetValue(name, out string? value) ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;

    public double Double(string name, double fallback) =>
        _options.TryGetValue(name, out string? value) ? double.Parse(value, CultureInfo.InvariantCulture) : fallback;

    /// <summary>A comma-separated option as a list.</summary>
    public string[] List(string name, string fallback) =>
        String(name, fallback).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
