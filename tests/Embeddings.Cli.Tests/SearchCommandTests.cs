using System.Globalization;
using System.Numerics.Tensors;
using System.Text.Json;
using Embeddings.Local;
using Embeddings.TestSupport;

namespace Embeddings.Cli;

/// <summary>The tool's <c>search</c> ranking.</summary>
public sealed class SearchCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("embeddings-cli-search-").FullName;

    public SearchCommandTests()
    {
        foreach (string image in TestAssets.AllImages().Where(p => p.EndsWith(".jpg", StringComparison.Ordinal) && !p.Contains("4000px", StringComparison.Ordinal)))
        {
            File.Copy(image, Path.Combine(_folder, Path.GetFileName(image)));
        }
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Search_ByImage_RanksTheIdenticalImageFirst()
    {
        string query = Path.Combine(_folder, "dog_beach.jpg");

        CliResult result = await CliProcess.RunAsync(["search", "--model", TestAssets.TinyModelDir("siglip2"), _folder, "--image", query, "--json", "--top", "3"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        IReadOnlyList<JsonElement> lines = result.JsonLines;
        Assert.Equal(3, lines.Count);
        Assert.Equal(query, lines[0].GetProperty("path").GetString());
        Assert.Equal(1.0, lines[0].GetProperty("score").GetDouble(), 4);
        Assert.True(lines[0].GetProperty("score").GetDouble() > lines[1].GetProperty("score").GetDouble());
    }

    [Fact]
    public async Task Search_ByText_PrintsEveryImageBestFirstWithTheLibrarysCosines()
    {
        string model = TestAssets.TinyModelDir("siglip2");
        string[] files = [.. Directory.EnumerateFiles(_folder).Order(StringComparer.Ordinal)];

        CliResult result = await CliProcess.RunAsync(["search", "--model", model, _folder, "--query", "a red bamboo chair", "--top", "100"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        using LocalOnnxProvider provider = LocalOnnxProvider.Create(model);
        IReadOnlyList<EmbeddingResult> query = await provider.EmbedAsync([EmbeddingInput.FromText("a red bamboo chair")],
            cancellationToken: TestContext.Current.CancellationToken);
        IReadOnlyList<EmbeddingResult> images = await provider.EmbedAsync([.. files.Select(f => EmbeddingInput.FromImageFile(f))],
            cancellationToken: TestContext.Current.CancellationToken);
        string[] expected = [.. files
            .Select((f, i) => (Path: f, Score: TensorPrimitives.CosineSimilarity(query[0].Vector.Span, images[i].Vector.Span)))
            .OrderByDescending(p => p.Score).ThenBy(p => p.Path, StringComparer.Ordinal)
            .Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Score:0.000000}  {p.Path}"))];
        Assert.Equal(expected, result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }
}
