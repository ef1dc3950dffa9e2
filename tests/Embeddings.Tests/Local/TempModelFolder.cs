namespace Embeddings.Local;

/// <summary>A temporary copy of a model folder that a test may change; deleted on dispose.</summary>
internal sealed class TempModelFolder : IDisposable
{
    public TempModelFolder(string source)
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "embeddings-local-" + Guid.NewGuid().ToString("N"));
        foreach (string file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            string target = System.IO.Path.Combine(Path, System.IO.Path.GetRelativePath(source, file));
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    public string Path { get; }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp folder left behind is harmless.
        }
    }
}
