using System.Diagnostics;
using System.Text;
using Embeddings.TestSupport;

namespace Embeddings.Composition;

public sealed class EmbeddingCacheKeysTests
{
    private static readonly EmbeddingProviderMetadata s_metadata = new("test", "org/model", 768, EmbeddingModalities.Text | EmbeddingModalities.Image);

    [Fact]
    public async Task ForText_ContentPart_IsSha256OfUtf8AsComputedBySha256sum()
    {
        const string text = "Café ☕ 日本語 \U0001F600 tab\tnewline\n";
        EmbeddingCacheContext context = EmbeddingCacheKeys.CreateContext("emb:", s_metadata, EmbeddingModalities.Text, null);

        string key = EmbeddingCacheKeys.ForText(context, text);

        Assert.Equal(await Sha256SumAsync(Encoding.UTF8.GetBytes(text)), key[^64..]);
        Assert.Equal(EmbeddingCacheKeys.TextTag, key[^65]);
        Assert.Matches("^emb:[0-9a-f]{16}:t[0-9a-f]{64}$", key);
    }

    [Fact]
    public async Task ForEncodedImage_ContentPart_IsSha256OfTheFileAsComputedBySha256sum()
    {
        string path = TestAssets.AllImages().First();
        EmbeddingCacheContext context = EmbeddingCacheKeys.CreateContext("emb:", s_metadata, EmbeddingModalities.Image, null);

        string key = EmbeddingCacheKeys.ForEncodedImage(context, await File.ReadAllBytesAsync(path, TestContext.Current.CancellationToken));

        Assert.Equal(await Sha256SumAsync(await File.ReadAllBytesAsync(path, TestContext.Current.CancellationToken)), key[^64..]);
        Assert.Equal(EmbeddingCacheKeys.EncodedImageTag, key[^65]);
    }

    [Fact]
    public void CreateContext_EveryVectorChangingField_ChangesPrefixAndCheck()
    {
        EmbeddingCacheContext baseline = EmbeddingCacheKeys.CreateContext("emb:", s_metadata, EmbeddingModalities.Text, null);
        EmbeddingCacheContext[] variants =
        [
            EmbeddingCacheKeys.CreateContext("emb:", new EmbeddingProviderMetadata("test", "org/model2", 768, EmbeddingModalities.Text), EmbeddingModalities.Text, null),
            EmbeddingCacheKeys.CreateContext("emb:", new EmbeddingProviderMetadata("test", "org/model", 768, EmbeddingModalities.Text, modelRevision: "abc"), EmbeddingModalities.Text, null),
            EmbeddingCacheKeys.CreateContext("emb:", new EmbeddingProviderMetadata("test", "org/model", 512, EmbeddingModalities.Text), EmbeddingModalities.Text, null),
            EmbeddingCacheKeys.CreateContext("emb:", s_metadata, EmbeddingModalities.Image, null),
            EmbeddingCacheKeys.CreateContext("emb:", s_metadata, EmbeddingModalities.Text, new EmbeddingRequestOptions { PromptName = "query" }),
            EmbeddingCacheKeys.CreateContext("emb:", s_metadata, EmbeddingModalities.Text, new EmbeddingRequestOptions { PromptName = string.Empty }),
            EmbeddingCacheKeys.CreateContext("emb:", s_metadata, EmbeddingModalities.Text, new EmbeddingRequestOptions { Dimensions = 256 }),
            EmbeddingCacheKeys.CreateContext("emb:", s_metadata, EmbeddingModalities.Text, new EmbeddingRequestOptions { Normalize = false }),
        ];

        Assert.Equal(variants.Length + 1, variants.Append(baseline).Select(c => c.KeyPrefix).Distinct().Count());
        Assert.Equal(variants.Length + 1, variants.Append(baseline).Select(c => c.Check).Distinct().Count());
    }

    [Fact]
    public void CreateContext_ProviderNameAndUri_DoNotChangeTheKey()
    {
        // The same model behind another provider (local or remote) gives the same vectors.
        var remote = new EmbeddingProviderMetadata("remote", "org/model", 768, EmbeddingModalities.Text, providerUri: new Uri("http://127.0.0.1:1/"));

        Assert.Equal(
            EmbeddingCacheKeys.CreateContext("emb:", s_metadata, EmbeddingModalities.Text, null),
            EmbeddingCacheKeys.CreateContext("emb:", remote, EmbeddingModalities.Text, null));
    }

    [Fact]
    public void ForPixels_SameBytesOtherShape_DifferentKey()
    {
        EmbeddingCacheContext context = EmbeddingCacheKeys.CreateContext("emb:", s_metadata, EmbeddingModalities.Image, null);
        byte[] pixels = new byte[4 * 3 * 3];

        Assert.NotEqual(
            EmbeddingCacheKeys.ForPixels(context, new RgbImage(4, 3, pixels)),
            EmbeddingCacheKeys.ForPixels(context, new RgbImage(3, 4, pixels)));
    }

    private static async Task<string> Sha256SumAsync(byte[] content)
    {
        var start = new ProcessStartInfo("sha256sum") { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        using Process process = Process.Start(start)!;
        await process.StandardInput.BaseStream.WriteAsync(content, TestContext.Current.CancellationToken);
        process.StandardInput.Close();
        string line = await process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        return line.Split(' ')[0];
    }
}
