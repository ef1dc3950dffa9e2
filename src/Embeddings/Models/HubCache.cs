namespace Embeddings.Models;

/// <summary>
/// The Hugging Face hub cache on disk, laid out as huggingface_hub lays it out so both share it:
/// <c>models--{org}--{name}/{blobs/&lt;etag&gt;, refs/&lt;revision&gt;, snapshots/&lt;commit&gt;/&lt;path&gt;,
/// .no_exist/&lt;commit&gt;/&lt;path&gt;}</c> and <c>.locks/models--{org}--{name}/&lt;etag&gt;.lock</c>.
/// Snapshot files are relative symbolic links to blobs (copies where links cannot be made).
/// </summary>
/// <remarks>Every write is a rename of a finished temporary file, so a crash never leaves a half file in a snapshot,
/// a blob or a ref.</remarks>
internal sealed class HubCache
{
    public HubCache(string root)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        Root = Path.GetFullPath(root);
    }

    /// <summary>Gets the cache root (the folder holding <c>models--*</c>).</summary>
    public string Root { get; }

    /// <summary>Gets a repository's folder.</summary>
    public string RepoFolder(string repoId) => Path.Combine(Root, HubPaths.RepoFolderName(repoId));

    /// <summary>Gets the snapshot folder of a commit.</summary>
    public string SnapshotFolder(string repoId, string commit) =>
        Path.Combine(RepoFolder(repoId), "snapshots", RequireCommit(repoId, commit));

    /// <summary>Resolves a revision to a commit from <c>refs/</c>; a commit id resolves to itself.</summary>
    /// <returns>The commit, or <see langword="null"/> when the cache has no such ref.</returns>
    public string? ReadRef(string repoId, string revision)
    {
        if (HubPaths.IsCommit(revision))
        {
            return revision;
        }

        HubPaths.ValidateRevision(revision);
        string path = HubPaths.Combine(Path.Combine(RepoFolder(repoId), "refs"), revision);
        try
        {
            string commit = FileExists(path) ? File.ReadAllText(path).Trim() : "";
            return HubPaths.IsCommit(commit) ? commit : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // An unreadable ref is no ref: online it is rewritten, offline the error says the revision is missing.
            return null;
        }
    }

    /// <summary>Records which commit a branch or tag points to (nothing to record for a commit id).</summary>
    public void WriteRef(string repoId, string revision, string commit)
    {
        RequireCommit(repoId, commit);
        if (revision == commit)
        {
            return;
        }

        HubPaths.ValidateRevision(revision);
        string path = HubPaths.Combine(Path.Combine(RepoFolder(repoId), "refs"), revision);
        if (File.Exists(path) && File.ReadAllText(path).Trim() == commit)
        {
            return;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        string temp = TempName(path);
        try
        {
            File.WriteAllText(temp, commit);
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            TryDelete(temp);
        }
    }

    /// <summary>Gets a file of a snapshot when it is there (following its link to a blob that exists).</summary>
    public string? TryGetSnapshotFile(string repoId, string commit, string path)
    {
        string full = HubPaths.Combine(SnapshotFolder(repoId, commit), path);
        return FileExists(full) ? full : null;
    }

    /// <summary>Returns whether the repository is recorded as not having the file at that commit.</summary>
    public bool IsKnownMissing(string repoId, string commit, string path) =>
        File.Exists(HubPaths.Combine(Path.Combine(RepoFolder(repoId), ".no_exist", RequireCommit(repoId, commit)), path));

    /// <summary>Records that the repository has no such file at that commit, as huggingface_hub does.</summary>
    public void MarkMissing(string repoId, string commit, string path)
    {
        string marker = HubPaths.Combine(Path.Combine(RepoFolder(repoId), ".no_exist", RequireCommit(repoId, commit)), path);
        Directory.CreateDirectory(Path.GetDirectoryName(marker)!);
        using (File.Create(marker))
        {
        }
    }

    /// <summary>Lists the file names directly in a folder of a snapshot (what has been downloaded so far).</summary>
    public IReadOnlyList<string> ListSnapshotFolder(string repoId, string commit, string folder)
    {
        string full = folder.Length == 0 ? SnapshotFolder(repoId, commit) : HubPaths.Combine(SnapshotFolder(repoId, commit), folder);
        return Directory.Exists(full)
            ? [.. Directory.EnumerateFiles(full).Where(FileExists).Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal)]
            : [];
    }

    /// <summary>Gets the path of a blob.</summary>
    public string BlobPath(string repoId, string etag) => Path.Combine(RepoFolder(repoId), "blobs", RequireEtag(repoId, etag));

    /// <summary>Gets the lock file that serializes downloads of one blob across threads and processes.</summary>
    public string LockPath(string repoId, string etag) =>
        Path.Combine(Root, ".locks", HubPaths.RepoFolderName(repoId), RequireEtag(repoId, etag) + ".lock");

    /// <summary>
    /// Makes <c>snapshots/&lt;commit&gt;/&lt;path&gt;</c> point to a blob: a relative symbolic link, or a copy where
    /// links are not available. The entry appears atomically.
    /// </summary>
    /// <returns>The snapshot path.</returns>
    public string LinkIntoSnapshot(string repoId, string commit, string path, string etag)
    {
        string blob = BlobPath(repoId, etag);
        string target = HubPaths.Combine(SnapshotFolder(repoId, commit), path);
        string folder = Path.GetDirectoryName(target)!;
        Directory.CreateDirectory(folder);
        string temp = TempName(target);
        try
        {
            try
            {
                File.CreateSymbolicLink(temp, Path.GetRelativePath(folder, blob));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or PlatformNotSupportedException)
            {
                // Windows without symlink rights, some network file systems: fall back to a copy, as huggingface_hub does.
                TryDelete(temp);
                File.Copy(blob, temp);
            }

            File.Move(temp, target, overwrite: true);
        }
        finally
        {
            TryDelete(temp);
        }

        return target;
    }

    /// <summary>Returns whether a file exists, following links: a link whose blob is gone does not count
    /// (<see cref="File.Exists"/> reports the link itself).</summary>
    public static bool FileExists(string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            return false;
        }

        try
        {
            return info.LinkTarget is null || info.ResolveLinkTarget(returnFinalTarget: true) is { Exists: true };
        }
        catch (IOException)
        {
            // A link cycle.
            return false;
        }
    }

    /// <summary>Gets a temporary name beside a file, for write-then-rename.</summary>
    public static string TempName(string path) => $"{path}.{Guid.NewGuid():N}.tmp";

    /// <summary>Deletes a file if it exists; failures are ignored (clean-up only).</summary>
    public static void TryDelete(string path)
    {
        try
        {
            // File.Delete removes a link itself, never its target.
            if (File.Exists(path) || new FileInfo(path).LinkTarget is not null)
            {
                File.Delete(path);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }
    }

    private static string RequireCommit(string repoId, string commit) =>
        HubPaths.IsCommit(commit) ? commit : throw new EmbeddingModelException(repoId, $"'{commit}' is not a 40-character commit id.");

    private static string RequireEtag(string repoId, string etag) =>
        HubPaths.IsSafeEtag(etag) ? etag : throw new EmbeddingModelException(repoId, "The hub sent an ETag that cannot name a cache file.");
}
