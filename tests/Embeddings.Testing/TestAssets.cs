namespace Embeddings.TestSupport;

/// <summary>Locates the repository's test data and the generated (uncommitted) assets under artifacts/.</summary>
internal static class TestAssets
{
    private static readonly Lazy<string> s_repoRoot = new(FindRepoRoot);

    /// <summary>Gets the repository root (the folder holding Embeddings.sln).</summary>
    public static string RepoRoot => s_repoRoot.Value;

    /// <summary>Gets testdata/images: the real photos and edge-case images.</summary>
    public static string ImagesDir => Path.Combine(RepoRoot, "testdata", "images");

    /// <summary>Gets the folder of a committed tokenizer (clip-vit-base-patch32, all-MiniLM-L6-v2) or of the
    /// fetched Gemma 3 tokenizer (gemma3).</summary>
    public static string TokenizerDir(string name) => name == "gemma3"
        ? Path.Combine(RepoRoot, "artifacts", "tokenizers", "gemma3")
        : Path.Combine(RepoRoot, "testdata", "tokenizers", name);

    /// <summary>Gets the folder of a tiny generated model (siglip2, embeddinggemma, minilm, ...).</summary>
    public static string TinyModelDir(string name) => Path.Combine(RepoRoot, "artifacts", "models", "tiny", name);

    /// <summary>Gets the folder of an independent implementation's reference outputs.</summary>
    public static string ReferencesDir(string component) => Path.Combine(RepoRoot, "artifacts", "references", component);

    /// <summary>Gets the folder the native runtimes were fetched into.</summary>
    public static string NativeDir => Path.Combine(RepoRoot, "artifacts", "native", "linux-x64");

    /// <summary>Gets every image file in testdata/images.</summary>
    public static IEnumerable<string> AllImages() =>
        Directory.EnumerateFiles(ImagesDir).Where(f => !f.EndsWith(".md", StringComparison.Ordinal)).Order(StringComparer.Ordinal);

    private static string FindRepoRoot()
    {
        // Stamped at build time (tests/Directory.Build.targets), so builds with an artifacts path elsewhere work too.
        string? stamped = typeof(TestAssets).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false)
            .Cast<System.Reflection.AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "RepoRoot")?.Value;
        if (stamped is not null && File.Exists(Path.Combine(stamped, "Embeddings.sln")))
        {
            return Path.GetFullPath(stamped);
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Embeddings.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("The repository root (with Embeddings.sln) was not found above " + AppContext.BaseDirectory);
    }
}
