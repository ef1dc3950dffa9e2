using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Embeddings.Models;

/// <summary>
/// The revision of a model in a local folder: a SHA-256 over every file used, each given by its path relative to the
/// folder and either its content hash (files up to <see cref="ContentHashLimit"/>: configuration, tokenizers, Dense
/// weights, small models) or its size and last-write time (larger files, so that loading a 1 GB model does not read it
/// twice). Editing, replacing or adding any file used changes it; a byte-identical copy of small files does not.
/// </summary>
internal static class ModelFingerprint
{
    /// <summary>Files up to this size are hashed by content.</summary>
    public const long ContentHashLimit = 64L * 1024 * 1024;

    /// <summary>Computes the fingerprint, formatted <c>sha256:&lt;64 hex&gt;</c>.</summary>
    /// <param name="folder">The model folder.</param>
    /// <param name="files">The local paths of the files used.</param>
    public static string Compute(string folder, IEnumerable<string> files)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (string file in files.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            var info = new FileInfo(file);
            string relative = Path.GetRelativePath(folder, file).Replace('\\', '/');
            string identity = info.Length <= ContentHashLimit
                ? "content " + Convert.ToHexStringLower(HashContent(file))
                : string.Create(CultureInfo.InvariantCulture, $"size {info.Length} mtime {info.LastWriteTimeUtc.Ticks}");
            hash.AppendData(Encoding.UTF8.GetBytes($"{relative}\0{identity}\n"));
        }

        return "sha256:" + Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static byte[] HashContent(string file)
    {
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        return SHA256.HashData(stream);
    }
}
