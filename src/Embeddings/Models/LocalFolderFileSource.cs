namespace Embeddings.Models;

/// <summary>A model folder on disk, used as it is: nothing is downloaded or written.</summary>
internal sealed class LocalFolderFileSource : IModelFileSource
{
    private readonly string _folder;

    public LocalFolderFileSource(string modelName, string folder)
    {
        ModelName = modelName;
        _folder = Path.GetFullPath(folder);
    }

    public string ModelName { get; }

    public string Where => $"in folder '{_folder}'";

    public string? Commit => null;

    public string? Folder => _folder;

    public Task<string?> GetFileAsync(string path, CancellationToken cancellationToken)
    {
        string full = Full(path);
        return Task.FromResult(HubCache.FileExists(full) ? full : null);
    }

    public Task<bool> ExistsAsync(string path, CancellationToken cancellationToken) => Task.FromResult(HubCache.FileExists(Full(path)));

    public Task<IReadOnlyList<string>?> ListAsync(string folder, CancellationToken cancellationToken)
    {
        string full = folder.Length == 0 ? _folder : Full(folder);
        IReadOnlyList<string> names = Directory.Exists(full)
            ? [.. Directory.EnumerateFiles(full).Where(HubCache.FileExists).Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal)]
            : [];
        return Task.FromResult<IReadOnlyList<string>?>(names);
    }

    private string Full(string path)
    {
        HubPaths.ValidateFilePath(ModelName, path);
        return HubPaths.Combine(_folder, path);
    }
}
