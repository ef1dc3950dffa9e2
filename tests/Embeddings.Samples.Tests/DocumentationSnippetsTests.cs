using System.Text.RegularExpressions;
using Embeddings.TestSupport;

namespace Embeddings.Samples;

/// <summary>
/// The C# shown in the documents is compiled: each block follows a <c>&lt;!-- snippet: name --&gt;</c> marker and must
/// equal the <c>#region snippet: name</c> of that name in samples/ (the Snippets project or a sample), so a snippet
/// cannot drift from code that builds. A block after <c>&lt;!-- file: path --&gt;</c> must equal that file.
/// </summary>
public sealed partial class DocumentationSnippetsTests
{
    public static TheoryData<string> Documents => new() { "README.md", "src/Embeddings/PACKAGE.md" };

    [Theory]
    [MemberData(nameof(Documents))]
    public void Document_EverySnippet_EqualsItsCompiledRegion(string document)
    {
        IReadOnlyDictionary<string, string> regions = Regions();
        string text = Read(document);

        var marked = SnippetBlock().Matches(text);
        Assert.NotEmpty(marked);
        foreach (Match block in marked)
        {
            string name = block.Groups["name"].Value;
            Assert.True(regions.TryGetValue(name, out string? source), $"{document}: no '#region snippet: {name}' under samples/.");
            Assert.True(source == block.Groups["code"].Value,
                $"{document}: snippet '{name}' differs from its source (samples/Snippets/fill-docs.py refreshes it); the block should read:\n{source}");
        }
    }

    [Theory]
    [MemberData(nameof(Documents))]
    public void Document_EveryFileBlock_EqualsTheFile(string document)
    {
        string text = Read(document);

        foreach (Match block in FileBlock().Matches(text))
        {
            string path = block.Groups["path"].Value;
            string source = Read(path).TrimEnd('\n');
            Assert.True(source == block.Groups["code"].Value, $"{document}: the copy of {path} differs from the file; it should read:\n{source}");
        }
    }

    [Theory]
    [MemberData(nameof(Documents))]
    public void Document_EveryCSharpBlock_IsAMarkedSnippet(string document)
    {
        string text = Read(document);

        int blocks = CSharpFence().Matches(text).Count;
        int marked = SnippetBlock().Matches(text).Count;

        Assert.True(blocks == marked, $"{document}: {blocks - marked} C# block(s) without a '<!-- snippet: name -->' marker.");
    }

    [Fact]
    public void Regions_AreUniquelyNamedAndClosed()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (string file in SourceFiles())
        {
            string[] lines = File.ReadAllLines(file);
            for (int i = 0; i < lines.Length; i++)
            {
                Match start = RegionStart().Match(lines[i]);
                if (!start.Success)
                {
                    continue;
                }

                Assert.True(seen.Add(start.Groups["name"].Value), $"{file}: snippet '{start.Groups["name"].Value}' is defined twice.");
                Assert.Contains(lines.Skip(i + 1), l => l.Trim() == "#endregion");
            }
        }

        Assert.NotEmpty(seen);
    }

    private static string Read(string document) =>
        File.ReadAllText(Path.Combine(TestAssets.RepoRoot, document)).ReplaceLineEndings("\n");

    private static IEnumerable<string> SourceFiles()
    {
        string samples = Path.Combine(TestAssets.RepoRoot, "samples");
        return Directory.EnumerateFiles(samples, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal));
    }

    private static Dictionary<string, string> Regions()
    {
        var regions = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string file in SourceFiles())
        {
            string[] lines = File.ReadAllText(file).ReplaceLineEndings("\n").Split('\n');
            for (int i = 0; i < lines.Length; i++)
            {
                Match start = RegionStart().Match(lines[i]);
                if (start.Success)
                {
                    string[] body = [.. lines.Skip(i + 1).TakeWhile(l => l.Trim() != "#endregion")];
                    regions[start.Groups["name"].Value] = Dedent(body);
                }
            }
        }

        return regions;
    }

    private static string Dedent(string[] lines)
    {
        int indent = lines.Where(l => l.Trim().Length > 0).Select(l => l.Length - l.TrimStart(' ').Length).DefaultIfEmpty(0).Min();
        return string.Join('\n', lines.Select(l => l.Length >= indent ? l[indent..] : l.TrimStart(' ')));
    }

    [GeneratedRegex(@"^\s*#region snippet: (?<name>[a-z0-9-]+)\s*$")]
    private static partial Regex RegionStart();

    [GeneratedRegex(@"<!-- snippet: (?<name>[a-z0-9-]+) -->\n```csharp\n(?<code>.*?)\n```", RegexOptions.Singleline)]
    private static partial Regex SnippetBlock();

    [GeneratedRegex(@"<!-- file: (?<path>\S+) -->\n```\w+\n(?<code>.*?)\n```", RegexOptions.Singleline)]
    private static partial Regex FileBlock();

    [GeneratedRegex(@"^```(csharp|cs|c#)\s*$", RegexOptions.Multiline)]
    private static partial Regex CSharpFence();
}
