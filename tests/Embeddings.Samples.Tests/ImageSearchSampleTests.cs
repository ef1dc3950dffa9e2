using System.Text.RegularExpressions;
using Embeddings.TestSupport;

namespace ImageSearch;

public sealed partial class ImageSearchSampleTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("dog_beach.jpg")]
    [InlineData("rocket_launch.jpg")]
    [InlineData("building_city_skyline.jpg")]
    public async Task RunAsync_ImageQueryFromTheIndexedFolder_RanksTheIdenticalImageFirst(string query)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();

        int exitCode = await ImageSearchCommand.RunAsync(
            [TestAssets.TinyModelDir("siglip2"), TestAssets.ImagesDir, "--image", Path.Combine(TestAssets.ImagesDir, query), "--top", "3"],
            stdout, stderr, TestContext.Current.CancellationToken);

        output.WriteLine(stdout.ToString());
        output.WriteLine(stderr.ToString());
        Assert.Equal(0, exitCode);
        Assert.Matches(@"^Indexed \d+ images with ", stdout.ToString());
        string[] ranking = [.. RankingLine().Matches(stdout.ToString()).Select(m => m.Groups["file"].Value)];
        Assert.Equal(3, ranking.Length);
        Assert.Equal(query, ranking[0]);
    }

    [Fact]
    public async Task RunAsync_FolderWithAnUnreadableImage_ReportsItAndIndexesTheOthers()
    {
        string folder = Directory.CreateTempSubdirectory("embeddings-imagesearch-").FullName;
        try
        {
            File.Copy(Path.Combine(TestAssets.ImagesDir, "dog_beach.jpg"), Path.Combine(folder, "dog.jpg"));
            File.Copy(Path.Combine(TestAssets.ImagesDir, "rocket_launch.jpg"), Path.Combine(folder, "rocket.jpg"));
            await File.WriteAllTextAsync(Path.Combine(folder, "broken.jpg"), "not an image", TestContext.Current.CancellationToken);
            var stdout = new StringWriter();

            int exitCode = await ImageSearchCommand.RunAsync(
                [TestAssets.TinyModelDir("siglip2"), folder, "--text", "a rocket"], stdout, TextWriter.Null, TestContext.Current.CancellationToken);

            output.WriteLine(stdout.ToString());
            Assert.Equal(0, exitCode);
            Assert.Contains("Indexed 2 images", stdout.ToString(), StringComparison.Ordinal);
            Assert.Matches(@"Skipped broken\.jpg: Image file 'broken\.jpg'", stdout.ToString());
            Assert.Equal(2, RankingLine().Matches(stdout.ToString()).Count);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task RunAsync_NoQuery_PrintsUsageAndFails()
    {
        var stderr = new StringWriter();

        int exitCode = await ImageSearchCommand.RunAsync([TestAssets.TinyModelDir("siglip2"), TestAssets.ImagesDir], TextWriter.Null, stderr, TestContext.Current.CancellationToken);

        Assert.Equal(2, exitCode);
        Assert.Contains("Give at least one --text or --image query.", stderr.ToString(), StringComparison.Ordinal);
        Assert.Contains("Usage: ImageSearch", stderr.ToString(), StringComparison.Ordinal);
    }

    [GeneratedRegex(@"^\s+\d+\.\s+-?\d\.\d{4}\s+(?<file>\S+)$", RegexOptions.Multiline)]
    private static partial Regex RankingLine();
}
