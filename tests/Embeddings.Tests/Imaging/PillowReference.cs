using System.IO.Compression;
using System.Runtime.InteropServices;
using System.Text.Json;
using Embeddings.TestSupport;

namespace Embeddings.Imaging;

/// <summary>
/// Reads what eng/references/imaging/generate.sh wrote with Pillow: per image, the decoded RGB
/// (load_image), and per preprocessor configuration the resized 8-bit image and the pixel_values tensor.
/// </summary>
internal static class PillowReference
{
    private static readonly Lazy<JsonDocument> s_manifest = new(() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(Dir, "manifest.json"))));

    /// <summary>Gets the reference folder.</summary>
    public static string Dir => TestAssets.ReferencesDir("imaging");

    /// <summary>Gets the Pillow version that produced the references.</summary>
    public static string PillowVersion => s_manifest.Value.RootElement.GetProperty("pillow").GetString()!;

    /// <summary>Gets every reference image key (file name; generated inputs are prefixed with <c>inputs_</c>).</summary>
    public static IEnumerable<string> Keys() =>
        s_manifest.Value.RootElement.GetProperty("images").EnumerateArray().Select(e => e.GetProperty("key").GetString()!);

    /// <summary>Gets the manifest entry of an image.</summary>
    public static JsonElement Entry(string key) =>
        s_manifest.Value.RootElement.GetProperty("images").EnumerateArray().Single(e => e.GetProperty("key").GetString() == key);

    /// <summary>Gets the path of the encoded input file of an image.</summary>
    public static string InputPath(string key)
    {
        JsonElement entry = Entry(key);
        string root = entry.GetProperty("root").GetString() == "repo" ? TestAssets.RepoRoot : Dir;
        return Path.Combine(root, entry.GetProperty("path").GetString()!);
    }

    /// <summary>Gets the configuration names an image was processed with.</summary>
    public static IEnumerable<string> Cases(string key) =>
        Entry(key).GetProperty("cases").EnumerateObject().Select(p => p.Name);

    /// <summary>Gets the path of a preprocessor_config.json used for the references.</summary>
    public static string ConfigPath(string caseName) => Path.Combine(Dir, "configs", caseName + ".json");

    /// <summary>Reads Pillow's decoded RGB image.</summary>
    public static RgbImage Decoded(string key, bool compositedOverWhite = false)
    {
        JsonElement entry = Entry(key);
        byte[] pixels = ReadGz(Path.Combine(Dir, "decoded", key + (compositedOverWhite ? ".white" : string.Empty) + ".rgb.gz"));
        return new RgbImage(entry.GetProperty("width").GetInt32(), entry.GetProperty("height").GetInt32(), pixels);
    }

    /// <summary>Reads Pillow's resized 8-bit image for a configuration.</summary>
    public static RgbImage Resized(string key, string caseName)
    {
        JsonElement info = Entry(key).GetProperty("cases").GetProperty(caseName);
        byte[] pixels = ReadGz(Path.Combine(Dir, "resized", $"{key}.{caseName}.rgb.gz"));
        return new RgbImage(info.GetProperty("width").GetInt32(), info.GetProperty("height").GetInt32(), pixels);
    }

    /// <summary>Reads the pixel_values tensor (CHW float32) for a configuration, or null when none was stored.</summary>
    public static float[]? Tensor(string key, string caseName)
    {
        string path = Path.Combine(Dir, "tensors", $"{key}.{caseName}.f32.gz");
        return File.Exists(path) ? MemoryMarshal.Cast<byte, float>(ReadGz(path)).ToArray() : null;
    }

    private static byte[] ReadGz(string path)
    {
        using var file = File.OpenRead(path);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var memory = new MemoryStream();
        gzip.CopyTo(memory);
        return memory.ToArray();
    }
}
