using Embeddings.TestSupport;

namespace Embeddings.Local;

/// <summary>Providers over the tiny generated models, loaded once per test run and shared (they are thread-safe).</summary>
internal static class LocalTestModels
{
    public static string Folder(string name) => TinyModels.Folder(name);

    /// <summary>The shared provider of a tiny model, with default options and one intra-op thread.</summary>
    public static LocalOnnxProvider Shared(string name) => TinyModels.Shared(name);

    /// <summary>A new provider (dispose it).</summary>
    public static LocalOnnxProvider Create(string name, Action<LocalOnnxProviderOptions>? configure = null) => TinyModels.Create(name, configure);

    public static LocalOnnxProviderOptions Options() => TinyModels.Options();

    public static async Task<float[][]> EmbedTextsAsync(IEmbeddingProvider provider, IEnumerable<string> texts, EmbeddingRequestOptions? options = null)
    {
        IReadOnlyList<EmbeddingResult> results = await provider.EmbedAsync(texts, options, TestContext.Current.CancellationToken);
        return [.. results.Select(r => r.Vector.ToArray())];
    }
}
