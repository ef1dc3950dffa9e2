using System.Text.Json;
using Embeddings.Local;
using Embeddings.TestSupport;

namespace Embeddings.Cli;

/// <summary>The tool's <c>classify</c> and <c>aspects</c> output against the library in-process.</summary>
public sealed class ClassifyAndAspectsCommandTests
{
    private static readonly string[] s_labels = ["cat", "dog", "chair", "mountain", "rocket"];

    [Theory]
    [InlineData("siglip2")]
    [InlineData("clip")]
    public async Task Classify_Images_MatchLibraryScoresBestFirst(string model)
    {
        string folder = TestAssets.TinyModelDir(model);
        string[] images = [.. TestAssets.AllImages().Take(3)];

        CliResult result = await CliProcess.RunAsync(["classify", "--model", folder, "--labels", "cat,dog,chair", "--label", "mountain", "-l", "rocket", .. images]);

        Assert.True(result.ExitCode == 0, result.ToString());
        using LocalOnnxProvider provider = LocalOnnxProvider.Create(folder);
        IReadOnlyList<ZeroShotResult> expected = await provider.ClassifyAsync([.. images.Select(i => EmbeddingInput.FromImageFile(i))], s_labels,
            cancellationToken: TestContext.Current.CancellationToken);
        IReadOnlyList<JsonElement> lines = result.JsonLines;
        Assert.Equal(images.Length, lines.Count);
        for (int i = 0; i < images.Length; i++)
        {
            Assert.Equal(images[i], lines[i].GetProperty("image").GetString());
            (string Label, float Score)[] actual = [.. lines[i].GetProperty("labels").EnumerateArray()
                .Select(e => (e.GetProperty("label").GetString()!, e.GetProperty("score").GetSingle()))];
            Assert.Equal(expected[i].Scores!.OrderByDescending(s => s.Score).Select(s => (s.Label, s.Score)), actual);
        }
    }

    [Fact]
    public async Task Aspects_BuiltInAndDefined_MatchLibraryScoresAndVectors()
    {
        string folder = TestAssets.TinyModelDir("siglip2");
        string[] images = [.. TestAssets.AllImages().Take(2)];

        CliResult result = await CliProcess.RunAsync(
            ["aspects", "--model", folder, "--aspect", "color", "--define", "pattern=striped,checked,floral", "--top", "2", "--embeddings", .. images]);

        Assert.True(result.ExitCode == 0, result.ToString());
        using LocalOnnxProvider provider = LocalOnnxProvider.Create(folder);
        ImageAspect[] aspects = [ImageAspect.Color, new ImageAspect("pattern", ["striped", "checked", "floral"])];
        IReadOnlyList<ImageAspectsResult> expected = await provider.EmbedAspectsAsync([.. images.Select(i => EmbeddingInput.FromImageFile(i))], aspects,
            cancellationToken: TestContext.Current.CancellationToken);
        IReadOnlyList<JsonElement> lines = result.JsonLines;
        for (int i = 0; i < images.Length; i++)
        {
            Vectors.AssertIdentical(expected[i].Embedding.Span, Vectors.Embedding(lines[i]));
            foreach (AspectEmbedding aspect in expected[i].Aspects!)
            {
                JsonElement written = lines[i].GetProperty("aspects").GetProperty(aspect.Aspect);
                Vectors.AssertIdentical(aspect.Vector.Span, Vectors.Embedding(written));
                Assert.Equal(
                    aspect.Scores.OrderByDescending(s => s.Score).Take(2).Select(s => (s.Label, s.Score)),
                    written.GetProperty("labels").EnumerateArray().Select(e => (e.GetProperty("label").GetString()!, e.GetProperty("score").GetSingle())));
            }
        }
    }

    [Fact]
    public async Task Classify_TextOnlyModel_IsAUsageError()
    {
        CliResult result = await CliProcess.RunAsync(["classify", "--model", TestAssets.TinyModelDir("minilm"), "--labels", "a,b", TestAssets.AllImages().First()]);

        Assert.Equal(1, result.ExitCode);
        Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }
}
