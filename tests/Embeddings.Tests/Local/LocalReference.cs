using System.Text.Json;
using Embeddings.TestSupport;

namespace Embeddings.Local;

/// <summary>The vectors eng/references/local/generate.mjs writes: transformers.js on the tiny models.</summary>
internal static class LocalReference
{
    private static readonly Lazy<JsonElement> s_index = new(() =>
    {
        string path = Path.Combine(Folder, "index.json");
        Assert.True(File.Exists(path), $"{path} is missing: run eng/references/local/generate.sh (eng/prepare.sh runs it)");
        return JsonDocument.Parse(File.ReadAllBytes(path)).RootElement;
    });

    public static string Folder => TestAssets.ReferencesDir("local");

    public static JsonElement Root => s_index.Value;

    public static IReadOnlyList<string> Texts => [.. Root.GetProperty("texts").EnumerateArray().Select(e => e.GetString()!)];

    /// <summary>Follows a path of property names to an array of vectors.</summary>
    public static float[][] Vectors(params string[] path) => [.. Element(path).EnumerateArray().Select(ToVector)];

    /// <summary>Follows a path of property names to one vector.</summary>
    public static float[] Vector(params string[] path) => ToVector(Element(path));

    public static JsonElement Element(params string[] path)
    {
        JsonElement e = Root;
        foreach (string p in path)
        {
            e = e.GetProperty(p);
        }

        return e;
    }

    /// <summary>Reads a Pillow-made pixel tensor (eng/references/local/pillow_tensors.py).</summary>
    public static float[] PillowPixels(string model, string image)
    {
        byte[] bytes = File.ReadAllBytes(Path.Combine(Folder, "pixels", model, image + ".f32"));
        return System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(bytes).ToArray();
    }

    public static IReadOnlyList<string> Images(string model) =>
        [.. Element(model, "image", "pillow").EnumerateObject().Select(p => p.Name)];

    private static float[] ToVector(JsonElement e) => [.. e.EnumerateArray().Select(v => v.GetSingle())];
}
