using Embeddings.Local;
using Embeddings.TestSupport;

namespace Embeddings.Reliability.Support;

/// <summary>Providers over the tiny generated models (artifacts/models/tiny), shared across tests (they are thread-safe).</summary>
internal static class ReliabilityModels
{
    public static readonly string[] TextModels = ["siglip2", "embeddinggemma", "minilm", "clip"];

    public static readonly string[] ImageModels = ["siglip2", "clip"];

    public static string Folder(string name) => TinyModels.Folder(name);

    /// <summary>The shared provider of a tiny model, with one intra-op thread.</summary>
    public static LocalOnnxProvider Shared(string name) => TinyModels.Shared(name);

    /// <summary>A new provider (dispose it).</summary>
    public static LocalOnnxProvider Create(string name, Action<LocalOnnxProviderOptions>? configure = null) => TinyModels.Create(name, configure);

    public static LocalOnnxProviderOptions Options() => TinyModels.Options();
}
