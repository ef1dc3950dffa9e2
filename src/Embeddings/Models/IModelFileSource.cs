namespace Embeddings.Models;

/// <summary>Where a model's files are read from: a local folder, or a hub repository through the cache.</summary>
/// <remarks>Paths are repository paths ('/'-separated, relative); each is validated before it touches the disk.</remarks>
internal interface IModelFileSource
{
    /// <summary>Gets the model as the user named it (folder or hub id), for <see cref="EmbeddingModelException.Model"/>.</summary>
    string ModelName { get; }

    /// <summary>Gets where files are looked for, for messages: <c>in folder '...'</c>, <c>in 'org/name' at revision 'main'</c>.</summary>
    string Where { get; }

    /// <summary>Gets the hub commit, once known; <see langword="null"/> for local folders.</summary>
    string? Commit { get; }

    /// <summary>Gets the local folder that holds the files (a snapshot folder for hub models), once known.</summary>
    string? Folder { get; }

    /// <summary>Gets a file as a local path, downloading it when needed.</summary>
    /// <returns>The local path, or <see langword="null"/> when the model has no such file.</returns>
    Task<string?> GetFileAsync(string path, CancellationToken cancellationToken);

    /// <summary>Returns whether the model has a file, without downloading it.</summary>
    Task<bool> ExistsAsync(string path, CancellationToken cancellationToken);

    /// <summary>Lists the file names directly in a folder.</summary>
    /// <returns>The names, or <see langword="null"/> when the source cannot list (a hub repository online).</returns>
    Task<IReadOnlyList<string>?> ListAsync(string folder, CancellationToken cancellationToken);
}
