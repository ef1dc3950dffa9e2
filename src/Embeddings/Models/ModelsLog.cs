using Microsoft.Extensions.Logging;

namespace Embeddings.Models;

/// <summary>Log messages of model resolution. Repository ids and file paths only: never tokens or signed URLs.</summary>
internal static partial class ModelsLog
{
    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Downloading '{Path}' of '{RepoId}' ({Size} bytes)")]
    public static partial void Downloading(ILogger logger, string repoId, string path, long? size);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Information, Message = "Resuming '{Path}' of '{RepoId}' at byte {Offset}")]
    public static partial void Resuming(ILogger logger, string repoId, string path, long offset);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Warning, Message = "Download of '{Path}' of '{RepoId}' was interrupted after {Offset} bytes; retrying")]
    public static partial void Interrupted(ILogger logger, string repoId, string path, long offset, Exception exception);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Warning, Message = "The hub could not be reached; using the cached snapshot {Commit} of '{RepoId}' for revision '{Revision}'")]
    public static partial void UsingCacheWhileUnreachable(ILogger logger, string repoId, string revision, string commit, Exception exception);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Debug, Message = "'{Path}' of '{RepoId}' has an ETag that is not a content hash; only its size was checked")]
    public static partial void Unverifiable(ILogger logger, string repoId, string path);

    [LoggerMessage(EventId = 2006, Level = LogLevel.Debug, Message = "Resolved '{RepoId}' revision '{Revision}' to commit {Commit}")]
    public static partial void ResolvedRevision(ILogger logger, string repoId, string revision, string commit);

    [LoggerMessage(EventId = 2007, Level = LogLevel.Warning, Message = "The hub answered {StatusCode} for '{Path}' of '{RepoId}'; retrying")]
    public static partial void RetryingStatus(ILogger logger, string repoId, string path, int statusCode);
}
