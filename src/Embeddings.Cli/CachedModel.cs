using System.Text.Json;

namespace Embeddings.Cli;

/// <summary>A model in the hub cache (<c>models--{org}--{name}</c>): its refs, snapshots and size on disk.</summary>
internal sealed class CachedModel
{
    private const string Prefix = "models--";

    private CachedModel(string id, string folder, IReadOnlyDictionary<string, string> refs, IReadOnlyList<string> snapshots, long sizeBytes)
    {
        Id = id;
        Folder = folder;
        Refs = refs;
        Snapshots = snapshots;
        SizeBytes = sizeBytes;
    }

    public string Id { get; }

    public string Folder { get; }

    /// <summary>Gets the refs (branch or tag, also <c>pr/N</c>) and the commit each points to.</summary>
    public IReadOnlyDictionary<string, string> Refs { get; }

    /// <summary>Gets the commits that have a snapshot folder.</summary>
    public IReadOnlyList<string> Snapshots { get; }

    /// <summary>Gets the size of the blobs (each file stored once, whatever the number of snapshots linking it).</summary>
    public long SizeBytes { get; }

    /// <summary>Lists the models of a cache root, by id; a missing root is an empty cache.</summary>
    public static List<CachedModel> Scan(string root)
    {
        var models = new List<CachedModel>();
        if (!Directory.Exists(root))
        {
            return models;
        }

        foreach (string folder in Directory.EnumerateDirectories(root, Prefix + "*"))
        {
            string id = Path.GetFileName(folder)[Prefix.Length..].Replace("--", "/", StringComparison.Ordinal);
            var refs = new SortedDictionary<string, string>(StringComparer.Ordinal);
            string refsFolder = Path.Combine(folder, "refs");
            if (Directory.Exists(refsFolder))
            {
                foreach (string file in Directory.EnumerateFiles(refsFolder, "*", SearchOption.AllDirectories))
                {
                    string name = Path.GetRelativePath(refsFolder, file).Replace(Path.DirectorySeparatorChar, '/');
                    refs[name] = ReadRef(file);
                }
            }

            string snapshotsFolder = Path.Combine(folder, "snapshots");
            string[] snapshots = Directory.Exists(snapshotsFolder)
                ? [.. Directory.EnumerateDirectories(snapshotsFolder).Select(Path.GetFileName).Order(StringComparer.Ordinal)!]
                : [];
            models.Add(new CachedModel(id, folder, refs, snapshots, BlobBytes(folder)));
        }

        models.Sort((a, b) => string.CompareOrdinal(a.Id, b.Id));
        return models;
    }

    public void WriteJson(Utf8JsonWriter json)
    {
        json.WriteStartObject();
        json.WriteString("id", Id);
        json.WriteStartObject("refs");
        foreach (KeyValuePair<string, string> r in Refs)
        {
            json.WriteString(r.Key, r.Value);
        }

        json.WriteEndObject();
        json.WriteStartArray("snapshots");
        foreach (string snapshot in Snapshots)
        {
            json.WriteStringValue(snapshot);
        }

        json.WriteEndArray();
        json.WriteNumber("size_bytes", SizeBytes);
        json.WriteString("path", Folder);
        json.WriteEndObject();
    }

    private static string ReadRef(string file)
    {
        try
        {
            return File.ReadAllText(file).Trim();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return "?";
        }
    }

    private static long BlobBytes(string folder)
    {
        string blobs = Path.Combine(folder, "blobs");
        if (Directory.Exists(blobs))
        {
            return Directory.EnumerateFiles(blobs).Sum(f => new FileInfo(f).Length);
        }

        // Copies instead of links (a cache written where links cannot be made): count the snapshot files.
        string snapshots = Path.Combine(folder, "snapshots");
        return Directory.Exists(snapshots)
            ? Directory.EnumerateFiles(snapshots, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length)
            : 0;
    }
}
