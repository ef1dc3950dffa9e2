using System.Text;

namespace Embeddings.Models;

/// <summary>A cache built by hand exactly as huggingface_hub lays it out is found and used offline, with no server.</summary>
public sealed class HubCacheTests : IDisposable
{
    private const string Commit = "75a84c732f1ffe5b9d3b8c8e3c8a1b6f1f0e9d8c";
    private const string Repo = "google/siglip2-base-patch16-224";

    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private string CacheRoot => Path.Combine(_temp.Path, "huggingface", "hub");

    private string RepoFolder => Path.Combine(CacheRoot, "models--google--siglip2-base-patch16-224");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Writes blobs/&lt;etag&gt;, refs/main and snapshots/&lt;commit&gt;/&lt;path&gt; as relative links (or copies).</summary>
    private Dictionary<string, byte[]> BuildPythonCache(bool symlinks = true, bool writeRef = true)
    {
        Dictionary<string, byte[]> files = ModelFiles.Siglip("vision_model.onnx", "text_model.onnx", "model.onnx", "vision_model_fp16.onnx", "text_model_fp16.onnx");
        foreach ((string path, byte[] content) in files)
        {
            string blob = Path.Combine(RepoFolder, "blobs", FakeHub.EtagOf(path, content));
            Directory.CreateDirectory(Path.GetDirectoryName(blob)!);
            File.WriteAllBytes(blob, content);
            string entry = Path.Combine(RepoFolder, "snapshots", Commit, path);
            Directory.CreateDirectory(Path.GetDirectoryName(entry)!);
            if (symlinks)
            {
                // huggingface_hub links with os.path.relpath(blob, dirname(entry)).
                File.CreateSymbolicLink(entry, Path.GetRelativePath(Path.GetDirectoryName(entry)!, blob));
            }
            else
            {
                File.Copy(blob, entry);
            }
        }

        if (writeRef)
        {
            Directory.CreateDirectory(Path.Combine(RepoFolder, "refs"));
            File.WriteAllText(Path.Combine(RepoFolder, "refs", "main"), Commit); // no newline, as huggingface_hub writes it
        }

        Directory.CreateDirectory(Path.Combine(RepoFolder, ".no_exist", Commit));
        File.WriteAllBytes(Path.Combine(RepoFolder, ".no_exist", Commit, "modules.json"), []);
        return files;
    }

    private ModelResolver OfflineResolver(string hfHome) => new()
    {
        // HF_HOME points at the parent of hub/, as on a machine where Python downloaded the model; the endpoint is
        // unroutable, so any request would fail the test.
        Environment = name => name switch
        {
            "HF_HOME" => hfHome,
            "HF_HUB_OFFLINE" => "1",
            "HF_ENDPOINT" => "http://192.0.2.1:9",
            _ => null,
        },
    };

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ResolveAsync_OfflineWithPythonCache_UsesTheSnapshot(bool symlinks)
    {
        Dictionary<string, byte[]> files = BuildPythonCache(symlinks);

        ModelDescription d = await OfflineResolver(Path.Combine(_temp.Path, "huggingface")).ResolveAsync(Repo, cancellationToken: Ct);

        string snapshot = Path.Combine(RepoFolder, "snapshots", Commit);
        Assert.Equal(Commit, d.Revision);
        Assert.Equal(snapshot, d.Folder);
        Assert.Equal(Path.Combine(snapshot, "onnx", "vision_model.onnx"), d.ImageEncoder!.Path);
        Assert.Equal(files["onnx/text_model.onnx"], File.ReadAllBytes(d.TextEncoder!.Path));
        Assert.Equal(ModelFamily.Siglip, d.Family);
        Assert.Equal(64, d.TextMaxLength);
    }

    [Fact]
    public async Task ResolveAsync_OfflineVariantInCache_Chosen()
    {
        BuildPythonCache();

        ModelDescription d = await OfflineResolver(Path.Combine(_temp.Path, "huggingface"))
            .ResolveAsync(Repo, new ModelSourceOptions { Variant = ModelVariant.Fp16 }, includeCombinedModel: false, Ct);

        Assert.Equal("onnx/vision_model_fp16.onnx", d.ImageEncoder!.RepositoryPath);
        Assert.Equal("onnx/text_model_fp16.onnx", d.TextEncoder!.RepositoryPath);
        Assert.Null(d.CombinedModel);
    }

    [Fact]
    public async Task ResolveAsync_OfflineFileNotCached_SaysOfflineAndWhichFile()
    {
        BuildPythonCache();
        File.Delete(Path.Combine(RepoFolder, "snapshots", Commit, "preprocessor_config.json"));

        var ex = await Assert.ThrowsAsync<EmbeddingModelException>(() =>
            OfflineResolver(Path.Combine(_temp.Path, "huggingface")).ResolveAsync(Repo, cancellationToken: Ct));

        Assert.Contains("No preprocessor_config.json", ex.Message, StringComparison.Ordinal);
        Assert.Contains("offline mode is on", ex.Message, StringComparison.Ordinal);
        Assert.Equal(Repo, ex.Model);
    }

    [Fact]
    public async Task ResolveAsync_OfflineWithoutRef_SaysOfflineAndWhichRevision()
    {
        BuildPythonCache(writeRef: false);

        var ex = await Assert.ThrowsAsync<EmbeddingModelException>(() =>
            OfflineResolver(Path.Combine(_temp.Path, "huggingface")).ResolveAsync(Repo, cancellationToken: Ct));

        Assert.Contains("Offline mode is on", ex.Message, StringComparison.Ordinal);
        Assert.Contains("refs/main", ex.Message, StringComparison.Ordinal);

        // A commit id needs no ref.
        ModelDescription d = await OfflineResolver(Path.Combine(_temp.Path, "huggingface"))
            .ResolveAsync(Repo, new ModelSourceOptions { Revision = Commit }, cancellationToken: Ct);
        Assert.Equal(Commit, d.Revision);
    }

    [Fact]
    public async Task ResolveAsync_OfflineDanglingLink_TreatedAsMissing()
    {
        Dictionary<string, byte[]> files = BuildPythonCache();
        File.Delete(Path.Combine(RepoFolder, "blobs", FakeHub.EtagOf("tokenizer.json", files["tokenizer.json"])));

        var ex = await Assert.ThrowsAsync<EmbeddingModelException>(() =>
            OfflineResolver(Path.Combine(_temp.Path, "huggingface")).ResolveAsync(Repo, cancellationToken: Ct));

        Assert.Contains("No tokenizer.json", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadRef_MalformedOrEscaping_NotTrusted()
    {
        var cache = new HubCache(CacheRoot);
        Directory.CreateDirectory(Path.Combine(RepoFolder, "refs"));
        File.WriteAllText(Path.Combine(RepoFolder, "refs", "main"), "../../../etc");

        Assert.Null(cache.ReadRef(Repo, "main"));
        Assert.Throws<ArgumentException>(() => cache.ReadRef(Repo, "../main"));
        Assert.Throws<EmbeddingModelException>(() => cache.SnapshotFolder(Repo, "../x"));
        Assert.Throws<EmbeddingModelException>(() => cache.TryGetSnapshotFile(Repo, Commit, "../../../refs/main"));
    }

    [Fact]
    public void WriteRef_ThenRead_RoundTripsAsPythonWritesIt()
    {
        var cache = new HubCache(CacheRoot);

        cache.WriteRef(Repo, "main", Commit);
        cache.WriteRef(Repo, "refs/pr/1", Commit);

        Assert.Equal(Commit, File.ReadAllText(Path.Combine(RepoFolder, "refs", "main"), Encoding.UTF8));
        Assert.Equal(Commit, cache.ReadRef(Repo, "refs/pr/1"));
        Assert.Single(Directory.EnumerateFiles(Path.Combine(RepoFolder, "refs"))); // no temporary files left
    }

    [Theory]
    [InlineData("", "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391")] // git's empty blob
    [InlineData("hello world\n", "3b18e512dba79e4c8300dd08aeb37f8e728b8dad")] // `echo 'hello world' | git hash-object --stdin`
    [InlineData("hello world\n", "a948904f2f0f479b8f8197694b30184b0d2ed1c1cd2a1ec0fb85d299a192a447")] // `sha256sum`
    public async Task Integrity_KnownDigests_Match(string content, string etag)
    {
        string path = Path.Combine(_temp.Path, "f");
        await File.WriteAllTextAsync(path, content, Ct);

        Assert.Equal(etag, await HubIntegrity.ComputeAsync(path, etag, Ct));
        Assert.Null(await HubIntegrity.ComputeAsync(path, "not-a-hash", Ct));
    }
}
