using System.Text.RegularExpressions;

namespace Embeddings.Models;

/// <summary>
/// Validates every name that becomes part of a cache path or a URL: repository ids and file paths from users, and
/// revisions, commits and ETags from servers. Nothing that passes can leave the cache folder.
/// </summary>
internal static partial class HubPaths
{
    private const int MaxNameLength = 96;

    /// <summary>Returns whether <paramref name="value"/> has the shape of a hub id (<c>org/name</c> or <c>name</c>).</summary>
    public static bool IsRepoId(string value)
    {
        string[] parts = value.Split('/');
        return parts.Length is 1 or 2 && parts.All(IsRepoNamePart);
    }

    /// <summary>Checks a hub id.</summary>
    /// <exception cref="EmbeddingModelException">It is not <c>org/name</c> made of letters, digits, '-', '_' and '.'.</exception>
    public static void ValidateRepoId(string repoId)
    {
        if (!IsRepoId(repoId))
        {
            throw new EmbeddingModelException(repoId,
                $"'{repoId}' is not a model folder that exists nor a valid hub id: a hub id is 'org/name' made of letters, digits, '-', '_' and '.' " +
                "(at most 96 characters each, no '--' or '..', not starting or ending with '-' or '.').");
        }
    }

    /// <summary>Gets the cache folder name of a repository: <c>models--{org}--{name}</c>.</summary>
    public static string RepoFolderName(string repoId)
    {
        ValidateRepoId(repoId);
        return "models--" + repoId.Replace("/", "--", StringComparison.Ordinal);
    }

    /// <summary>Checks a path inside a repository: relative, '/'-separated, no '.', '..' or empty segments.</summary>
    /// <exception cref="EmbeddingModelException">The path could point outside the repository folder.</exception>
    public static void ValidateFilePath(string repoId, string path)
    {
        if (!IsSafeRelativePath(path))
        {
            throw new EmbeddingModelException(repoId,
                $"'{path}' is not a valid file path inside a repository: it must be relative, use '/' separators and have no '.', '..' or empty segments.");
        }
    }

    /// <summary>Checks a revision (branch, tag, <c>refs/pr/N</c> or commit) before it names a file under <c>refs/</c>.</summary>
    /// <exception cref="ArgumentException">The revision could point outside the <c>refs</c> folder.</exception>
    public static void ValidateRevision(string revision)
    {
        if (revision.Length is 0 or > 255 || !IsSafeRelativePath(revision))
        {
            throw new ArgumentException(
                "A revision is a branch, tag or commit id: relative, '/'-separated, with no '.', '..' or empty segments.", nameof(revision));
        }
    }

    /// <summary>Returns whether a value is a full 40-character commit id.</summary>
    public static bool IsCommit(string value) => CommitRegex().IsMatch(value);

    /// <summary>Returns whether a server's ETag can name a blob file (hex, or a short token of letters, digits, '-').</summary>
    public static bool IsSafeEtag(string etag) => EtagRegex().IsMatch(etag);

    /// <summary>Joins a validated repository path under a folder and checks the result stays inside it.</summary>
    public static string Combine(string folder, string relativePath)
    {
        string full = Path.GetFullPath(Path.Combine(folder, relativePath.Replace('/', Path.DirectorySeparatorChar)));
        string root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder)) + Path.DirectorySeparatorChar;
        if (!full.StartsWith(root, StringComparison.Ordinal))
        {
            // Unreachable after validation; kept as a last line of defence.
            throw new EmbeddingModelException(folder, $"'{relativePath}' points outside '{folder}'.");
        }

        return full;
    }

    private static bool IsRepoNamePart(string part) =>
        part.Length is > 0 and <= MaxNameLength
        && RepoNameRegex().IsMatch(part)
        && !part.Contains("--", StringComparison.Ordinal)
        && !part.Contains("..", StringComparison.Ordinal)
        && part[0] is not ('-' or '.')
        && part[^1] is not ('-' or '.');

    private static bool IsSafeRelativePath(string path)
    {
        if (path.Length == 0 || path.Length > 1024 || path[0] == '/' || path.Contains('\\', StringComparison.Ordinal)
            || path.Contains(':', StringComparison.Ordinal) || path.Any(char.IsControl))
        {
            return false;
        }

        foreach (string segment in path.Split('/'))
        {
            if (segment is "" or "." or "..")
            {
                return false;
            }
        }

        return true;
    }

    [GeneratedRegex(@"^[A-Za-z0-9._-]+\z")]
    private static partial Regex RepoNameRegex();

    [GeneratedRegex(@"^[0-9a-f]{40}\z")]
    private static partial Regex CommitRegex();

    [GeneratedRegex(@"^[A-Za-z0-9-]{1,128}\z")]
    private static partial Regex EtagRegex();
}
