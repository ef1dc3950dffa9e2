using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Embeddings.TestSupport;

namespace Embeddings.Models;

public sealed class HubDownloadTests : IAsyncLifetime
{
    private const string Commit = "0123456789abcdef0123456789abcdef01234567";
    private const string Repo = "onnx-community/tiny-gemma-ONNX";
    private const string Token = "hf_test_secret_token_value";

    private readonly TempFolder _temp = new();
    private readonly CollectingLogger _logger = new();
    private readonly HttpClient _http = new(new SocketsHttpHandler { AllowAutoRedirect = false });
    private FakeHub _hub = null!;

    private string CacheDir => Path.Combine(_temp.Path, "hub");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _hub = await FakeHub.StartAsync();
        _hub.Repos[Repo] = new FakeRepo(Commit, GemmaRepoFiles());
    }

    public async ValueTask DisposeAsync()
    {
        await _hub.DisposeAsync();
        _http.Dispose();
        _temp.Dispose();
    }

    /// <summary>An EmbeddingGemma-like repository with more than the fp32 layout needs.</summary>
    private static Dictionary<string, byte[]> GemmaRepoFiles()
    {
        Dictionary<string, byte[]> files = ModelFiles.Gemma("model.onnx", "model_fp16.onnx", "model_quantized.onnx");
        files.Remove("special_tokens_map.json"); // optional: its absence is not an error
        files["onnx/model.onnx_data"] = ModelFiles.Opaque("model.onnx_data", 300_000);
        files["onnx/model_fp16.onnx_data"] = ModelFiles.Opaque("model_fp16.onnx_data", 150_000);
        files["README.md"] = ModelFiles.Utf8("# not needed");
        return files;
    }

    private ModelResolver Resolver(string? cacheDir = null, Uri? endpoint = null) => new(_http, _logger)
    {
        Environment = name => name switch
        {
            "HF_HUB_CACHE" => cacheDir ?? CacheDir,
            "HF_ENDPOINT" => (endpoint ?? _hub.Endpoint).ToString(),
            _ => null,
        },
        RetryDelay = TimeSpan.FromMilliseconds(10),
        IdleTimeout = TimeSpan.FromSeconds(10),
    };

    private Task<ModelDescription> Resolve(string repo = Repo, string? token = Token, ModelVariant variant = ModelVariant.Fp32, string? revision = null, bool? offline = null) =>
        Resolver().ResolveAsync(repo, new ModelSourceOptions { Token = token, Variant = variant, Revision = revision, Offline = offline }, cancellationToken: Ct);

    private string RepoFolder(string repo = Repo) => Path.Combine(CacheDir, "models--" + repo.Replace("/", "--", StringComparison.Ordinal));

    [Fact]
    public async Task ResolveAsync_FromHub_WritesTheHuggingFaceCacheLayout()
    {
        ModelDescription d = await Resolve();

        string snapshot = Path.Combine(RepoFolder(), "snapshots", Commit);
        Assert.Equal(Commit, d.Revision);
        Assert.Equal(snapshot, d.Folder);
        Assert.Equal(Commit, File.ReadAllText(Path.Combine(RepoFolder(), "refs", "main")));
        Assert.Equal(Path.Combine(snapshot, "onnx", "model.onnx"), d.TextEncoder!.Path);
        Assert.Equal([Path.Combine(snapshot, "onnx", "model.onnx_data")], d.TextEncoder.ExternalDataPaths);
        Assert.Null(d.Tokenizer!.SpecialTokensMapPath);

        Dictionary<string, byte[]> served = _hub.Repos[Repo].Files;
        foreach (string file in d.Files)
        {
            string repoPath = Path.GetRelativePath(snapshot, file).Replace('\\', '/');
            Assert.Equal(served[repoPath], File.ReadAllBytes(file));
            // A relative link into blobs/, named by the hub's ETag: sha256 for LFS files, the git blob id otherwise.
            string? link = new FileInfo(file).LinkTarget;
            Assert.NotNull(link);
            Assert.False(Path.IsPathRooted(link));
            Assert.StartsWith("../", link, StringComparison.Ordinal);
            Assert.Equal(Path.Combine(RepoFolder(), "blobs", FakeHub.EtagOf(repoPath, served[repoPath])),
                Path.GetFullPath(Path.Combine(Path.GetDirectoryName(file)!, link)));
        }

        Assert.DoesNotContain(Directory.EnumerateFiles(Path.Combine(RepoFolder(), "blobs")), f => f.EndsWith(".incomplete", StringComparison.Ordinal));
        // Absent optional files are recorded as huggingface_hub records them.
        Assert.True(File.Exists(Path.Combine(RepoFolder(), ".no_exist", Commit, "special_tokens_map.json")));
    }

    [Fact]
    public async Task ResolveAsync_FromHub_DownloadsOnlyWhatTheVariantNeeds()
    {
        await Resolve();

        string[] downloaded = [.. _hub.Requests.Where(r => r.Method == "GET").Select(r => r.Server + r.Path)];
        Assert.Contains(downloaded, p => p.EndsWith("/onnx/model.onnx", StringComparison.Ordinal));
        Assert.DoesNotContain(downloaded, p => p.Contains("fp16", StringComparison.Ordinal) || p.Contains("quantized", StringComparison.Ordinal));
        Assert.DoesNotContain(downloaded, p => p.EndsWith("README.md", StringComparison.Ordinal));
        // Every file downloaded once; all at the pinned commit after the first request.
        Assert.Equal(downloaded.Length, downloaded.Distinct().Count());
        Assert.All(_hub.Requests.Where(r => r.Server == "hub").Skip(1), r => Assert.Contains($"/resolve/{Commit}/", r.Path, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ResolveAsync_Token_SentToTheHubOnlyNeverToTheCdnNorLogged()
    {
        await Resolve();

        Assert.All(_hub.Requests.Where(r => r.Server == "hub"), r => Assert.Equal($"Bearer {Token}", r.Authorization));
        RecordedRequest[] cdn = [.. _hub.Requests.Where(r => r.Server == "cdn")];
        Assert.NotEmpty(cdn);
        Assert.All(cdn, r => Assert.Null(r.Authorization));
        Assert.NotEmpty(_logger.Entries);
        Assert.DoesNotContain(Token, _logger.AllText, StringComparison.Ordinal);
        Assert.DoesNotContain("cdn-signature-secret", _logger.AllText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ResolveAsync_SecondTime_OneRequestToPinTheRevisionThenCacheOnly()
    {
        ModelDescription first = await Resolve();
        int before = _hub.Requests.Count;

        ModelDescription second = await Resolve();

        RecordedRequest[] again = [.. _hub.Requests.Skip(before)];
        Assert.Single(again);
        Assert.Equal("HEAD", again[0].Method);
        Assert.Equal(first.Files, second.Files);
        Assert.Equal(first.Revision, second.Revision);
    }

    [Fact]
    public async Task ResolveAsync_OfflineAfterDownload_NoRequests()
    {
        await Resolve();
        int before = _hub.Requests.Count;

        ModelDescription d = await Resolve(offline: true);

        Assert.Equal(before, _hub.Requests.Count);
        Assert.Equal(Commit, d.Revision);
    }

    [Fact]
    public async Task ResolveAsync_ConnectionDropsMidFile_ResumesWithRangeAndCompletes()
    {
        _hub.DropAfterBytes["onnx/model.onnx_data"] = 120_000;

        ModelDescription d = await Resolve();

        Assert.Equal(_hub.Repos[Repo].Files["onnx/model.onnx_data"], File.ReadAllBytes(d.TextEncoder!.ExternalDataPaths[0]));
        RecordedRequest[] gets = [.. _hub.Gets("onnx/model.onnx_data", "cdn")];
        Assert.Equal(2, gets.Length);
        Assert.Null(gets[0].Range);
        long resumedAt = long.Parse(gets[1].Range!["bytes=".Length..^1], System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(resumedAt, 1, 120_000);
        Assert.Contains(_logger.Entries, e => e.Text.Contains("interrupted", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ResolveAsync_IncompleteFileFromAnEarlierRun_ResumedFromItsLength()
    {
        byte[] content = _hub.Repos[Repo].Files["onnx/model.onnx_data"];
        string blobs = Path.Combine(RepoFolder(), "blobs");
        Directory.CreateDirectory(blobs);
        File.WriteAllBytes(Path.Combine(blobs, FakeHub.Sha256(content) + ".incomplete"), content[..70_000]);

        ModelDescription d = await Resolve();

        Assert.Equal(content, File.ReadAllBytes(d.TextEncoder!.ExternalDataPaths[0]));
        Assert.Equal("bytes=70000-", Assert.Single(_hub.Gets("onnx/model.onnx_data", "cdn")).Range);
    }

    [Fact]
    public async Task ResolveAsync_CorruptedBody_RefusedAndNothingLeftInSnapshot()
    {
        _hub.Corrupt["onnx/model.onnx_data"] = true;
        byte[] content = _hub.Repos[Repo].Files["onnx/model.onnx_data"];

        var ex = await Assert.ThrowsAsync<EmbeddingModelException>(() => Resolve());

        Assert.Contains("integrity check", ex.Message, StringComparison.Ordinal);
        Assert.Contains(FakeHub.Sha256(content), ex.Message, StringComparison.Ordinal);
        string blob = Path.Combine(RepoFolder(), "blobs", FakeHub.Sha256(content));
        Assert.False(File.Exists(blob));
        Assert.False(File.Exists(blob + ".incomplete"));
        string entry = Path.Combine(RepoFolder(), "snapshots", Commit, "onnx", "model.onnx_data");
        Assert.False(File.Exists(entry));
        Assert.Null(new FileInfo(entry).LinkTarget);
    }

    [Fact]
    public async Task ResolveAsync_CorruptedRegularFile_GitBlobIdChecked()
    {
        _hub.Corrupt["1_Pooling/config.json"] = true;

        var ex = await Assert.ThrowsAsync<EmbeddingModelException>(() => Resolve());

        Assert.Contains("'1_Pooling/config.json'", ex.Message, StringComparison.Ordinal);
        Assert.Contains(FakeHub.GitBlobSha1(_hub.Repos[Repo].Files["1_Pooling/config.json"]), ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ResolveAsync_GatedRepository_ExplainsWithoutLeakingTheToken()
    {
        _hub.Repos[Repo].RequiredToken = Token;

        var noToken = await Assert.ThrowsAsync<EmbeddingModelException>(() => Resolve(token: null));
        Assert.Contains("gated", noToken.Message, StringComparison.Ordinal);
        Assert.Contains("no token was given", noToken.Message, StringComparison.Ordinal);

        var wrongToken = await Assert.ThrowsAsync<EmbeddingModelException>(() => Resolve(token: "hf_wrong_secret"));
        Assert.Contains("refused", wrongToken.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hf_wrong_secret", wrongToken.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("hf_wrong_secret", _logger.AllText, StringComparison.Ordinal);

        Assert.Equal(Commit, (await Resolve()).Revision);
    }

    [Fact]
    public async Task ResolveAsync_MissingVariantOnHub_ListsTheVariantsPresent()
    {
        var ex = await Assert.ThrowsAsync<EmbeddingModelException>(() => Resolve(variant: ModelVariant.Q4));

        Assert.Contains("q4 variant is not available", ex.Message, StringComparison.Ordinal);
        Assert.Contains("fp32 (onnx/model.onnx)", ex.Message, StringComparison.Ordinal);
        Assert.Contains("fp16 (onnx/model_fp16.onnx)", ex.Message, StringComparison.Ordinal);
        Assert.Contains("quantized (onnx/model_quantized.onnx)", ex.Message, StringComparison.Ordinal);
        Assert.Empty(_hub.Gets(".onnx")); // probing downloads nothing
    }

    [Fact]
    public async Task ResolveAsync_Fp16Variant_TakesItsExternalWeights()
    {
        ModelDescription d = await Resolve(variant: ModelVariant.Fp16);

        Assert.Equal("onnx/model_fp16.onnx", d.TextEncoder!.RepositoryPath);
        Assert.Equal(_hub.Repos[Repo].Files["onnx/model_fp16.onnx_data"], File.ReadAllBytes(Assert.Single(d.TextEncoder.ExternalDataPaths)));
        Assert.Empty(_hub.Gets("onnx/model.onnx"));
    }

    [Fact]
    public async Task ResolveAsync_RenamedRepository_RelativeRedirectFollowedWithToken()
    {
        _hub.Repos["old-org/tiny-gemma"] = new FakeRepo(Commit, []) { RenamedTo = Repo };

        ModelDescription d = await Resolve("old-org/tiny-gemma");

        Assert.Equal(Commit, d.Revision);
        Assert.Contains(_hub.Requests, r => r.Path.StartsWith($"/{Repo}/resolve/", StringComparison.Ordinal) && r.Authorization == $"Bearer {Token}");
        Assert.True(Directory.Exists(RepoFolder("old-org/tiny-gemma")));
    }

    [Fact]
    public async Task ResolveAsync_EtagThatIsAPath_RejectedBeforeAnyWrite()
    {
        _hub.EtagOverride["onnx/model.onnx"] = "../../../../escaped";

        var ex = await Assert.ThrowsAsync<EmbeddingModelException>(() => Resolve());

        Assert.Contains("ETag", ex.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_temp.Path, "escaped")));
        Assert.Empty(Directory.EnumerateFiles(_temp.Path, "escaped*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task ResolveAsync_UnknownRepositoryOrRevision_SaysWhich()
    {
        var repo = await Assert.ThrowsAsync<EmbeddingModelException>(() => Resolve("nobody/nothing"));
        Assert.Contains("'nobody/nothing' was not found on the hub", repo.Message, StringComparison.Ordinal);

        var revision = await Assert.ThrowsAsync<EmbeddingModelException>(() => Resolve(revision: "v9"));
        Assert.Contains("Revision 'v9'", revision.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ResolveAsync_PinnedCommit_ResolvesWithoutWritingARef()
    {
        ModelDescription d = await Resolve(revision: Commit);

        Assert.Equal(Commit, d.Revision);
        Assert.False(Directory.Exists(Path.Combine(RepoFolder(), "refs")));
        Assert.All(_hub.Requests.Where(r => r.Server == "hub"), r => Assert.Contains($"/resolve/{Commit}/", r.Path, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ResolveAsync_HubUnreachable_FallsBackToTheCachedRevision()
    {
        await Resolve();
        Uri closed = await ClosedEndpointAsync();

        ModelDescription d = await Resolver(endpoint: closed).ResolveAsync(Repo, new ModelSourceOptions { Token = Token }, cancellationToken: Ct);

        Assert.Equal(Commit, d.Revision);
        Assert.Contains(_logger.Entries, e => e.Text.Contains("could not be reached", StringComparison.Ordinal));

        var ex = await Assert.ThrowsAsync<EmbeddingModelException>(() =>
            Resolver(cacheDir: Path.Combine(_temp.Path, "empty-cache"), endpoint: closed).ResolveAsync(Repo, cancellationToken: Ct));
        Assert.Contains("could not be reached", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ResolveAsync_ConcurrentResolutions_DownloadEachFileOnce()
    {
        _hub.CdnDelay = TimeSpan.FromMilliseconds(100);

        ModelDescription[] results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => Resolve(), Ct)));

        Assert.All(results, r => Assert.Equal(results[0].Files, r.Files));
        Assert.Single(_hub.Gets("onnx/model.onnx_data", "cdn"));
        Assert.Single(_hub.Gets("onnx/model.onnx", "cdn"));
    }

    [Fact]
    public async Task ResolveAsync_CancelledDuringDownload_KeepsPartialOutsideTheSnapshot()
    {
        _hub.CdnDelay = TimeSpan.FromSeconds(30);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        cts.CancelAfter(TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            Resolver().ResolveAsync(Repo, new ModelSourceOptions { Token = Token }, cancellationToken: cts.Token));

        string onnx = Path.Combine(RepoFolder(), "snapshots", Commit, "onnx", "model.onnx");
        Assert.False(File.Exists(onnx));
    }

    [Fact]
    public void Constructor_ClientWithDefaultAuthorization_Refused()
    {
        using var client = new HttpClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "x");

        var ex = Assert.Throws<ArgumentException>(() => new ModelResolver(client));

        Assert.Contains("ModelSourceOptions.Token", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ResolveAsync_CacheFolderUnwritable_TypedErrorNamingTheCache()
    {
        string notAFolder = Path.Combine(_temp.Path, "a-file");
        await File.WriteAllTextAsync(notAFolder, "", Ct);

        var ex = await Assert.ThrowsAsync<EmbeddingModelException>(() =>
            Resolver(cacheDir: notAFolder).ResolveAsync(Repo, new ModelSourceOptions { Token = Token }, cancellationToken: Ct));

        Assert.Contains($"could not be stored in the cache at '{notAFolder}'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ResolveAsync_CacheWritten_ReadBackByHuggingFaceHubJs()
    {
        _hub.Repos["sentence-transformers/second"] = new FakeRepo("fedcba9876543210fedcba9876543210fedcba98", GemmaRepoFiles());
        ModelDescription d = await Resolve();
        await Resolve("sentence-transformers/second");

        // @huggingface/hub's scanCacheDir: an independent reader of the layout huggingface_hub writes.
        using JsonDocument scan = JsonDocument.Parse(await RunNodeAsync(Path.Combine(TestAssets.RepoRoot, "eng", "references", "models", "scan-cache.mjs"), CacheDir));
        JsonElement root = scan.RootElement;
        Assert.Empty(root.GetProperty("warnings").EnumerateArray());
        Assert.Equal(["onnx-community/tiny-gemma-ONNX", "sentence-transformers/second"],
            root.GetProperty("repos").EnumerateArray().Select(r => r.GetProperty("id").GetString()!).Order(StringComparer.Ordinal));

        JsonElement repo = root.GetProperty("repos").EnumerateArray().Single(r => r.GetProperty("id").GetString() == Repo);
        Assert.Equal("model", repo.GetProperty("type").GetString());
        JsonElement revision = Assert.Single(repo.GetProperty("revisions").EnumerateArray());
        Assert.Equal(Commit, revision.GetProperty("commit").GetString());
        Assert.Equal(["main"], revision.GetProperty("refs").EnumerateArray().Select(r => r.GetString()!));

        // It lists the snapshot's top-level files; each must resolve to the blob named by its hub ETag, with its size.
        Dictionary<string, byte[]> served = _hub.Repos[Repo].Files;
        JsonElement[] files = [.. revision.GetProperty("files").EnumerateArray()];
        Assert.Equal(d.Files.Where(f => Path.GetDirectoryName(f) == d.Folder).Order(StringComparer.Ordinal),
            files.Select(f => f.GetProperty("path").GetString()!).Order(StringComparer.Ordinal));
        foreach (JsonElement file in files)
        {
            string name = Path.GetFileName(file.GetProperty("path").GetString()!);
            Assert.Equal(Path.Combine(RepoFolder(), "blobs", FakeHub.EtagOf(name, served[name])), file.GetProperty("blob").GetString());
            Assert.Equal(served[name].Length, file.GetProperty("size").GetInt64());
        }
    }

    private static async Task<string> RunNodeAsync(string script, params string[] arguments)
    {
        var start = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(script);
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync(Ct);
        Task<string> error = process.StandardError.ReadToEndAsync(Ct);
        await process.WaitForExitAsync(Ct);
        Assert.True(process.ExitCode == 0, $"node {Path.GetFileName(script)} failed (run eng/restore-assets.sh): {await error}");
        return await output;
    }

    private static async Task<Uri> ClosedEndpointAsync()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        await Task.Yield();
        return new Uri($"http://127.0.0.1:{port}/");
    }
}
