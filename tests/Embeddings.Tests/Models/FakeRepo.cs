namespace Embeddings.Models;

/// <summary>A repository served by <see cref="FakeHub"/>.</summary>
internal sealed class FakeRepo
{
    public FakeRepo(string commit, Dictionary<string, byte[]> files)
    {
        Commit = commit;
        Files = files;
    }

    public string Commit { get; }

    public Dictionary<string, byte[]> Files { get; }

    /// <summary>Gets or sets the token a gated repository requires; <see langword="null"/> for public ones.</summary>
    public string? RequiredToken { get; set; }

    /// <summary>Gets or sets the id this repository moved to (answered with a relative redirect).</summary>
    public string? RenamedTo { get; set; }

    /// <summary>Files stored with LFS (served through the CDN, ETag = sha256): ONNX files and weights, as on the hub.</summary>
    public static bool IsLfs(string path) =>
        path.Contains(".onnx", StringComparison.Ordinal) || path.EndsWith(".safetensors", StringComparison.Ordinal);
}
