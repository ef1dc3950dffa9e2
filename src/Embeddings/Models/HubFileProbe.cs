namespace Embeddings.Models;

/// <summary>What the hub said about one file at one revision.</summary>
/// <param name="Exists">Whether the repository has the file.</param>
/// <param name="Commit">The commit the revision resolved to, when the hub said (it does for missing files too).</param>
/// <param name="Etag">The content id: sha256 for LFS files, the git blob sha1 otherwise; <see langword="null"/> when missing.</param>
/// <param name="Size">The file size, when known.</param>
internal sealed record HubFileProbe(bool Exists, string? Commit, string? Etag, long? Size);
