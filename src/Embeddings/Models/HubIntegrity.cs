using System.Security.Cryptography;
using System.Text;

namespace Embeddings.Models;

/// <summary>
/// Checks a downloaded file against its hub ETag: a 64-hex ETag is the sha256 of the content (LFS files), a 40-hex
/// ETag is the git blob id <c>sha1("blob {size}\0" + content)</c> (regular files). Other ETags cannot be checked.
/// </summary>
internal static class HubIntegrity
{
    /// <summary>Returns whether the ETag is a content hash this class can check.</summary>
    public static bool CanVerify(string etag) => IsHex(etag, 64) || IsHex(etag, 40);

    /// <summary>Hashes a file the way its ETag was made.</summary>
    /// <returns>The lowercase hex hash, or <see langword="null"/> when the ETag is not a known hash form.</returns>
    public static async Task<string?> ComputeAsync(string path, string etag, CancellationToken cancellationToken)
    {
        HashAlgorithmName algorithm;
        if (IsHex(etag, 64))
        {
            algorithm = HashAlgorithmName.SHA256;
        }
        else if (IsHex(etag, 40))
        {
            algorithm = HashAlgorithmName.SHA1;
        }
        else
        {
            return null;
        }

        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
#pragma warning disable CA5350 // git names blobs with SHA-1; this is an integrity check against that name, not security.
        using var hash = IncrementalHash.CreateHash(algorithm);
#pragma warning restore CA5350
        if (algorithm == HashAlgorithmName.SHA1)
        {
            hash.AppendData(Encoding.ASCII.GetBytes($"blob {stream.Length}\0"));
        }

        byte[] buffer = new byte[1 << 16];
        int read;
        while ((read = await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            hash.AppendData(buffer, 0, read);
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static bool IsHex(string value, int length) => value.Length == length && value.All(char.IsAsciiHexDigit);
}
