using Microsoft.Extensions.Logging;

namespace Embeddings.Models;

/// <summary>
/// A hub repository seen through the cache. Online, the first request pins the revision to a commit (written to
/// <c>refs/</c>) and every later file is fetched at that commit, so a push mid-download cannot mix two versions.
/// Files already in the snapshot, and files recorded in <c>.no_exist</c>, need no request. Offline (or when the hub
/// cannot be reached and the cache knows the revision), only the cache is used.
/// </summary>
internal sealed class HubFileSource : IModelFileSource
{
    private readonly string _repoId;
    private readonly string _revision;
    private readonly bool _offline;
    private readonly HubCache _cache;
    private readonly HubClient? _client;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly Dictionary<string, HubFileProbe> _probes = new(StringComparer.Ordinal);
    private bool _cacheOnly;

    public HubFileSource(string repoId, string revision, bool offline, HubCache cache, HubClient? client, TimeProvider timeProvider, ILogger logger)
    {
        HubPaths.ValidateRepoId(repoId);
        HubPaths.ValidateRevision(revision);
        _repoId = repoId;
        _revision = revision;
        _offline = offline || client is null;
        _cacheOnly = _offline;
        _cache = cache;
        _client = client;
        _timeProvider = timeProvider;
        _logger = logger;
        if (HubPaths.IsCommit(revision))
        {
            Commit = revision;
        }
        else if (_offline)
        {
            Commit = cache.ReadRef(repoId, revision) ?? throw new EmbeddingModelException(repoId,
                $"Offline mode is on (HF_HUB_OFFLINE), and the cache at '{cache.Root}' has no revision '{revision}' of '{repoId}' " +
                $"(no {HubPaths.RepoFolderName(repoId)}/refs/{revision}). Download the model once while online, or turn offline mode off.");
        }
    }

    public string ModelName => _repoId;

    public string Where => _offline
        ? $"in the cached snapshot {Commit} of '{_repoId}' under '{_cache.Root}' (offline mode is on: HF_HUB_OFFLINE, nothing is downloaded)"
        : _cacheOnly
            ? $"in the cached snapshot {Commit} of '{_repoId}' under '{_cache.Root}' (the hub could not be reached)"
            : $"in '{_repoId}' at revision '{_revision}'";

    public string? Commit { get; private set; }

    public string? Folder => Commit is null ? null : _cache.SnapshotFolder(_repoId, Commit);

    public async Task<bool> ExistsAsync(string path, CancellationToken cancellationToken)
    {
        HubPaths.ValidateFilePath(_repoId, path);
        if (TryAnswerFromCache(path, out string? local))
        {
            return local is not null;
        }

        return (await ProbeAsync(path, cancellationToken).ConfigureAwait(false)).Exists;
    }

    public async Task<string?> GetFileAsync(string path, CancellationToken cancellationToken)
    {
        HubPaths.ValidateFilePath(_repoId, path);
        if (TryAnswerFromCache(path, out string? local))
        {
            return local;
        }

        HubFileProbe probe = await ProbeAsync(path, cancellationToken).ConfigureAwait(false);
        if (TryAnswerFromCache(path, out local))
        {
            // The probe pinned the commit (its snapshot may hold the file already), or fell back to the cache.
            return local;
        }

        if (!probe.Exists)
        {
            return null;
        }

        string commit = Commit!;
        string etag = probe.Etag!;
        string blob = _cache.BlobPath(_repoId, etag);
        try
        {
            if (!HubCache.FileExists(blob))
            {
                await DownloadBlobAsync(path, commit, etag, probe.Size, blob, cancellationToken).ConfigureAwait(false);
            }

            return _cache.LinkIntoSnapshot(_repoId, commit, path, etag);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A read-only or full cache folder: say where, not just "access denied".
            throw new EmbeddingModelException(_repoId,
                $"'{path}' of '{_repoId}' could not be stored in the cache at '{_cache.Root}': {ex.Message}", ex);
        }
    }

    public Task<IReadOnlyList<string>?> ListAsync(string folder, CancellationToken cancellationToken) =>
        Task.FromResult(_cacheOnly && Commit is not null ? _cache.ListSnapshotFolder(_repoId, Commit, folder) : null);

    /// <summary>Answers from the snapshot and the <c>.no_exist</c> records when they know, or when the network is off.</summary>
    /// <returns><see langword="true"/> when answered; <paramref name="local"/> is the file or null for "absent".</returns>
    private bool TryAnswerFromCache(string path, out string? local)
    {
        local = null;
        if (Commit is null)
        {
            return false;
        }

        local = _cache.TryGetSnapshotFile(_repoId, Commit, path);
        return local is not null || _cacheOnly || _cache.IsKnownMissing(_repoId, Commit, path);
    }

    private async Task<HubFileProbe> ProbeAsync(string path, CancellationToken cancellationToken)
    {
        if (_probes.TryGetValue(path, out HubFileProbe? known))
        {
            return known;
        }

        HubFileProbe probe;
        try
        {
            probe = await _client!.ProbeAsync(_repoId, Commit ?? _revision, path, cancellationToken).ConfigureAwait(false);
        }
        catch (HubUnreachableException ex) when (Commit is null && _cache.ReadRef(_repoId, _revision) is { } cached)
        {
            // As huggingface_hub does: no network, but the cache knows this revision.
            ModelsLog.UsingCacheWhileUnreachable(_logger, _repoId, _revision, cached, ex);
            Commit = cached;
            _cacheOnly = true;
            return new HubFileProbe(_cache.TryGetSnapshotFile(_repoId, cached, path) is not null, cached, null, null);
        }
        catch (HubUnreachableException ex)
        {
            throw new EmbeddingModelException(_repoId,
                $"'{path}' of '{_repoId}' is not in the cache at '{_cache.Root}' and the hub could not be reached: {ex.Message}", ex);
        }

        if (Commit is null && probe.Commit is not null)
        {
            Commit = probe.Commit;
            BestEffort(() => _cache.WriteRef(_repoId, _revision, Commit));
            ModelsLog.ResolvedRevision(_logger, _repoId, _revision, Commit);
        }

        if (!probe.Exists && Commit is not null)
        {
            string commit = Commit;
            BestEffort(() => _cache.MarkMissing(_repoId, commit, path));
        }

        _probes[path] = probe;
        return probe;
    }

    /// <summary>Records that only save requests later (refs, .no_exist) may fail on a read-only cache.</summary>
    private static void BestEffort(Action write)
    {
        try
        {
            write();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }
    }

    private async Task DownloadBlobAsync(string path, string commit, string etag, long? size, string blob, CancellationToken cancellationToken)
    {
        string lockPath = _cache.LockPath(_repoId, etag);
        Directory.CreateDirectory(Path.GetDirectoryName(lockPath)!);
        Directory.CreateDirectory(Path.GetDirectoryName(blob)!);
        await using FileStream fileLock = await AcquireLockAsync(lockPath, cancellationToken).ConfigureAwait(false);
        if (HubCache.FileExists(blob))
        {
            // Another thread or process finished it while we waited.
            return;
        }

        string incomplete = blob + ".incomplete";
        ModelsLog.Downloading(_logger, _repoId, path, size);
        await _client!.DownloadAsync(_repoId, commit, path, size, incomplete, cancellationToken).ConfigureAwait(false);

        long received = new FileInfo(incomplete).Length;
        if (size is long expected && received != expected)
        {
            HubCache.TryDelete(incomplete);
            throw new EmbeddingModelException(_repoId,
                $"'{path}' of '{_repoId}' arrived with {received} bytes instead of {expected}; it was discarded.");
        }

        string? actual = await HubIntegrity.ComputeAsync(incomplete, etag, cancellationToken).ConfigureAwait(false);
        if (actual is null)
        {
            ModelsLog.Unverifiable(_logger, _repoId, path);
        }
        else if (!string.Equals(actual, etag, StringComparison.OrdinalIgnoreCase))
        {
            HubCache.TryDelete(incomplete);
            throw new EmbeddingModelException(_repoId,
                $"'{path}' of '{_repoId}' failed its integrity check: the hub named it {etag}, but the content received hashes to {actual}. It was discarded.");
        }

        File.Move(incomplete, blob, overwrite: true);
    }

    private async Task<FileStream> AcquireLockAsync(string lockPath, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                return new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException)
            {
                // Held by another download of the same blob; it will release it when done.
                await Task.Delay(TimeSpan.FromMilliseconds(100), _timeProvider, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
