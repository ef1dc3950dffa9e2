using Embeddings.Local;
using Embeddings.Reliability.Support;

namespace Embeddings.Reliability.Security;

/// <summary>
/// Model ids and revisions from users cannot reach outside the hub cache: every hostile spelling is refused with an
/// <see cref="EmbeddingModelException"/>, before any request and without creating anything outside the cache.
/// </summary>
public sealed class ModelIdTraversalTests : IDisposable
{
    private readonly string _sandbox = Directory.CreateTempSubdirectory("embeddings-traversal-").FullName;

    public static TheoryData<string> HostileIds =>
    [
        "../x",
        "../../x",
        "org/../../x",
        "org/../x",
        "org/..",
        "../outside/model",
        "org/name/../../../x",
        "org\\..\\..\\x",
        "..\\x",
        "org%2F..%2F..%2Fx",
        "%2e%2e/x",
        "org/%2e%2e",
        "org/%2E%2E%2Fx",
        "..%2fx",
        "org/name%00",
        "org/name\0",
        "org/\u2025",
        "\uFF0E\uFF0E/x",
        "/nonexistent-root-folder/model",
        "C:\\models\\x",
        "C:/models/x",
        "\\\\server\\share\\model",
        "~/model",
        "org//name",
        "org/name/",
        "org/name?x=1",
        "org/name#x",
        "https://evil.example/org/name",
        "org/na me",
        "org/name\n",
    ];

    public static TheoryData<string> HostileRevisions =>
    [
        "../x",
        "../../../outside",
        "refs/../../x",
        "/absolute",
        "a\\b",
        "..",
        "main/../../x",
        "C:/x",
        "x\0",
    ];

    public void Dispose() => Directory.Delete(_sandbox, recursive: true);

    [Theory]
    [MemberData(nameof(HostileIds))]
    public async Task CreateAsync_HostileModelId_TypedErrorNoRequestNothingOutsideTheCache(string id)
    {
        await using RecordingHttpServer hub = await RecordingHttpServer.StartAsync();
        string cache = Path.Combine(_sandbox, "cache");

        var error = await Assert.ThrowsAsync<EmbeddingModelException>(() => LocalOnnxProvider.CreateAsync(id, Options(hub, cache), cancellationToken: TestContext.Current.CancellationToken));

        Assert.Empty(hub.Requests);
        AssertNothingOutside(cache);
        Assert.DoesNotContain(Path.GetFullPath(_sandbox), error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(HostileRevisions))]
    public async Task CreateAsync_HostileRevision_TypedErrorNoRequestNothingOutsideTheCache(string revision)
    {
        await using RecordingHttpServer hub = await RecordingHttpServer.StartAsync();
        string cache = Path.Combine(_sandbox, "cache");
        LocalOnnxProviderOptions options = Options(hub, cache);
        options.ModelSource.Revision = revision;

        await Assert.ThrowsAsync<EmbeddingModelException>(() => LocalOnnxProvider.CreateAsync("org/name", options, cancellationToken: TestContext.Current.CancellationToken));

        Assert.Empty(hub.Requests);
        AssertNothingOutside(cache);
    }

    [Theory]
    [InlineData("%2e%2e")]
    [InlineData("refs/pr/1")]
    [InlineData("v1.0")]
    public async Task CreateAsync_RevisionWithUrlCharacters_IsEscapedInTheRequest(string revision)
    {
        // A revision is one URL segment: a server that decodes '%2e%2e' or '/' in it must not see a path that climbs.
        await using RecordingHttpServer hub = await RecordingHttpServer.StartAsync();
        string cache = Path.Combine(_sandbox, "cache");
        LocalOnnxProviderOptions options = Options(hub, cache);
        options.ModelSource.Revision = revision;

        await Assert.ThrowsAsync<EmbeddingModelException>(() => LocalOnnxProvider.CreateAsync("org/name", options, cancellationToken: TestContext.Current.CancellationToken));

        Assert.NotEmpty(hub.Requests);
        foreach ((string target, _) in hub.Requests)
        {
            Assert.StartsWith("/org/name/resolve/", target, StringComparison.Ordinal);
            string segment = target["/org/name/resolve/".Length..].Split('/')[0];
            Assert.Equal(Uri.EscapeDataString(revision), segment);
            Assert.DoesNotContain("/../", Uri.UnescapeDataString(target.Replace(segment, "REV", StringComparison.Ordinal)), StringComparison.Ordinal);
        }

        AssertNothingOutside(cache);
    }

    private static LocalOnnxProviderOptions Options(RecordingHttpServer hub, string cache)
    {
        var options = new LocalOnnxProviderOptions();
        options.ModelSource.CacheDirectory = cache;
        options.ModelSource.Endpoint = hub.BaseUrl;
        options.ModelSource.Offline = false;
        options.Runtime.IntraOpThreads = 1;
        return options;
    }

    /// <summary>The sandbox holds nothing but the cache folder (if it was created at all).</summary>
    private void AssertNothingOutside(string cache)
    {
        string[] entries = [.. Directory.EnumerateFileSystemEntries(_sandbox)];
        Assert.All(entries, e => Assert.Equal(Path.GetFullPath(cache), Path.GetFullPath(e)));
    }
}
