namespace ProviderBenchmarks;

/// <summary>Finds the model and images the benchmark embeds.</summary>
internal static class SampleAssets
{
    /// <summary>The environment variable naming the model folder to use instead of the repository's tiny one.</summary>
    public const string ModelVariable = "EMBEDDINGS_SAMPLE_MODEL";

    public static string Model() =>
        Environment.GetEnvironmentVariable(ModelVariable) is { Length: > 0 } model
            ? model
            : Path.Combine(RepositoryRoot(), "artifacts", "models", "tiny", "siglip2");

    public static IEnumerable<string> Images() =>
        Directory.EnumerateFiles(Path.Combine(RepositoryRoot(), "testdata", "images"), "*.jpg").Order(StringComparer.Ordinal);

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Embeddings.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"Set {ModelVariable} to a model folder: the repository was not found above {AppContext.BaseDirectory}.");
    }
}
