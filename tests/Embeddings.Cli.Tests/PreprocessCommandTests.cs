using System.Runtime.InteropServices;
using Embeddings.Imaging;
using Embeddings.TestSupport;

namespace Embeddings.Cli;

/// <summary>The tool's <c>preprocess</c> output against the library's <see cref="ImagePreprocessor"/> in-process.</summary>
public sealed class PreprocessCommandTests : IDisposable
{
    private readonly string _temp = Directory.CreateTempSubdirectory("embeddings-cli-").FullName;

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    [Theory]
    [InlineData("siglip2")]
    [InlineData("clip")]
    public async Task Preprocess_Images_WritesTheLibrarysTensorsByteForByte(string model)
    {
        string folder = TestAssets.TinyModelDir(model);
        string[] images = [.. TestAssets.AllImages().Take(5)];
        string output = Path.Combine(_temp, model + ".f32");

        CliResult result = await CliProcess.RunAsync(["preprocess", "--model", folder, "--out", output, .. images]);

        Assert.True(result.ExitCode == 0, result.ToString());
        var preprocessor = new ImagePreprocessor(ImagePreprocessorConfig.Load(Path.Combine(folder, "preprocessor_config.json")));
        int[] shape = [.. result.JsonLines.Single().GetProperty("shape").EnumerateArray().Select(e => e.GetInt32())];
        Assert.Equal([images.Length, 3, preprocessor.OutputHeight, preprocessor.OutputWidth], shape);
        var expected = new float[images.Length * preprocessor.TensorLength];
        for (int i = 0; i < images.Length; i++)
        {
            preprocessor.Preprocess(EmbeddingInput.FromImageFile(images[i]), expected.AsSpan(i * preprocessor.TensorLength, preprocessor.TensorLength));
        }

        byte[] written = await File.ReadAllBytesAsync(output, TestContext.Current.CancellationToken);
        Assert.Equal(MemoryMarshal.AsBytes(expected.AsSpan()).ToArray(), written);
    }

    [Fact]
    public async Task Preprocess_BadImageAmongGood_LeavesItOutNamesItAndExitsTwo()
    {
        string folder = TestAssets.TinyModelDir("siglip2");
        string[] good = [.. TestAssets.AllImages().Take(2)];
        string bad = Path.Combine(_temp, "broken.jpg");
        await File.WriteAllTextAsync(bad, "this is not an image", TestContext.Current.CancellationToken);
        string output = Path.Combine(_temp, "out.f32");

        CliResult result = await CliProcess.RunAsync(["preprocess", "--model", folder, "--out", output, good[0], bad, good[1]]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("broken.jpg", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(2, result.JsonLines.Single().GetProperty("shape")[0].GetInt32());
        var preprocessor = new ImagePreprocessor(ImagePreprocessorConfig.Load(Path.Combine(folder, "preprocessor_config.json")));
        Assert.Equal(2L * preprocessor.TensorLength * sizeof(float), new FileInfo(output).Length);
    }
}
