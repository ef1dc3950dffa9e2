using System.Reflection;

namespace Embeddings.Benchmarks;

/// <summary>Locates test data and generated assets for the benchmarks.</summary>
internal static class BenchmarkAssets
{
    private static readonly Lazy<string> s_repoRoot = new(() =>
        typeof(BenchmarkAssets).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .First(a => a.Key == "RepoRoot").Value!);

    /// <summary>Gets the repository root.</summary>
    public static string RepoRoot => s_repoRoot.Value;

    /// <summary>Gets testdata/images.</summary>
    public static string ImagesDir => Path.Combine(RepoRoot, "testdata", "images");

    /// <summary>Gets a generated model folder: size is "tiny" or "full".</summary>
    public static string ModelDir(string size, string name) => Path.Combine(RepoRoot, "artifacts", "models", size, name);

    /// <summary>Gets a committed tokenizer folder, or the fetched Gemma 3 one for "gemma3".</summary>
    public static string TokenizerDir(string name) => name == "gemma3"
        ? Path.Combine(RepoRoot, "artifacts", "tokenizers", "gemma3")
        : Path.Combine(RepoRoot, "testdata", "tokenizers", name);
}
