using System.Text.Json;
using Embeddings.Local;
using Embeddings.TestSupport;

namespace Embeddings.Cli;

/// <summary><c>models list</c> over a hand-built hub cache, and <c>models generate</c>.</summary>
public sealed class ModelsCommandTests : IDisposable
{
    private const string CommitA = "0123456789abcdef0123456789abcdef01234567";
    private const string CommitB = "fedcba9876543210fedcba9876543210fedcba98";
    private readonly string _temp = Directory.CreateTempSubdirectory("embeddings-cli-models-").FullName;

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    [Fact]
    public async Task List_HandBuiltCache_ReportsIdsRefsSnapshotsAndBlobSizes()
    {
        string hub = Path.Combine(_temp, "hub");
        Repo(hub, "google/siglip2-base-patch16-224", new() { ["main"] = CommitA, ["pr/3"] = CommitB }, [CommitA, CommitB], [1000, 24]);
        Repo(hub, "sentence-transformers/all-MiniLM-L6-v2", new() { ["main"] = CommitB }, [CommitB], [5]);
        Directory.CreateDirectory(Path.Combine(hub, "datasets--someone--data"));

        CliResult json = await CliProcess.RunAsync(["models", "list", "--cache", hub, "--json"]);
        CliResult table = await CliProcess.RunAsync(["models", "list"], environment: new Dictionary<string, string> { ["HF_HUB_CACHE"] = hub });

        Assert.True(json.ExitCode == 0, json.ToString());
        IReadOnlyList<JsonElement> models = json.JsonLines;
        Assert.Equal(["google/siglip2-base-patch16-224", "sentence-transformers/all-MiniLM-L6-v2"], models.Select(m => m.GetProperty("id").GetString()));
        Assert.Equal(CommitA, models[0].GetProperty("refs").GetProperty("main").GetString());
        Assert.Equal(CommitB, models[0].GetProperty("refs").GetProperty("pr/3").GetString());
        Assert.Equal([CommitA, CommitB], models[0].GetProperty("snapshots").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(1024, models[0].GetProperty("size_bytes").GetInt64());
        Assert.Equal(5, models[1].GetProperty("size_bytes").GetInt64());

        Assert.True(table.ExitCode == 0, table.ToString());
        string[] rows = table.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, rows.Length);
        Assert.StartsWith("ID", rows[0], StringComparison.Ordinal);
        Assert.Contains("main@0123456", rows[1], StringComparison.Ordinal);
        Assert.Contains("1.0 KiB", rows[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_EmptyCache_SaysSoOnStderrAndSucceeds()
    {
        CliResult result = await CliProcess.RunAsync(["models", "list", "--cache", Path.Combine(_temp, "none")]);

        Assert.Equal(0, result.ExitCode);
        Assert.Empty(result.StdoutBytes);
        Assert.Contains("no models", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Generate_TinyMiniLm_MakesALoadableModelAndSaysTheWeightsAreRandom()
    {
        string output = Path.Combine(_temp, "generated");

        CliResult result = await CliProcess.RunAsync(
            ["models", "generate", "tiny", "--only", "minilm", "--out", output, "--generator", Path.Combine(TestAssets.RepoRoot, "eng", "models", "generate.py")],
            timeout: TimeSpan.FromMinutes(3));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("RANDOM weights", result.Stdout, StringComparison.Ordinal);
        string folder = Path.Combine(output, "minilm");
        Assert.Contains(folder, result.Stdout.Split('\n'));
        using LocalOnnxProvider provider = LocalOnnxProvider.Create(folder);
        IReadOnlyList<EmbeddingResult> embedded = await provider.EmbedAsync([EmbeddingInput.FromText("generated")],
            cancellationToken: TestContext.Current.CancellationToken);
        Assert.True(embedded[0].Succeeded);
        Assert.Equal(provider.Metadata.Dimensions, embedded[0].Vector.Length);
    }

    [Fact]
    public async Task Generate_UnknownGenerator_IsAUsageError()
    {
        CliResult result = await CliProcess.RunAsync(["models", "generate", "tiny", "--out", _temp, "--generator", Path.Combine(_temp, "missing.py")]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("missing.py", result.Stderr, StringComparison.Ordinal);
    }

    private static void Repo(string hub, string id, Dictionary<string, string> refs, string[] snapshots, int[] blobSizes)
    {
        string folder = Path.Combine(hub, "models--" + id.Replace("/", "--", StringComparison.Ordinal));
        foreach ((string name, string commit) in refs)
        {
            string path = Path.Combine(folder, "refs", name);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, commit);
        }

        for (int i = 0; i < blobSizes.Length; i++)
        {
            Directory.CreateDirectory(Path.Combine(folder, "blobs"));
            File.WriteAllBytes(Path.Combine(folder, "blobs", $"etag{i}"), new byte[blobSizes[i]]);
        }

        foreach (string commit in snapshots)
        {
            string snapshot = Path.Combine(folder, "snapshots", commit);
            Directory.CreateDirectory(snapshot);
            File.CreateSymbolicLink(Path.Combine(snapshot, "config.json"), Path.Combine("..", "..", "blobs", "etag0"));
        }
    }
}
