using System.Collections.Concurrent;
using Embeddings.Local;
using Embeddings.TestSupport;

namespace Embeddings.Reliability.Support;

/// <summary>Providers over the tiny generated models (artifacts/models/tiny), shared across tests (they are thread-safe).</summary>
internal static class ReliabilityModels
{
    public static readonly string[] TextModels = ["siglip2", "embeddinggemma", "minilm", "clip"];

    public static readonly string[] ImageModels = ["siglip2", "clip"];

    private static readonly ConcurrentDictionary<string, Lazy<LocalOnnxProvider>> s_shared = new(StringComparer.Ordinal);

    public static string Folder(string name)
    {
        string folder = TestAssets.TinyModelDir(name);
        Assert.True(Directory.Exists(folder), $"{folder} is not generated: run eng/prepare.sh");
        return folder;
    }

    /// <summary>The shared provider of a tiny model, with one intra-op thread.</summary>
    public static LocalOnnxProvider Shared(string name) =>
        s_shared.GetOrAdd(name, n => new Lazy<LocalOnnxProvider>(() => LocalOnnxProvider.Create(Folder(n), Options()))).Value;

    /// <summary>A new provider (dispose it).</summary>
    public static LocalOnnxProvider Create(string name, Action<LocalOnnxProviderOptions>? configure = null)
    {
        LocalOnnxProviderOptions options = Options();
        configure?.Invoke(options);
        return LocalOnnxProvider.Create(Folder(name), options);
    }

    public static LocalOnnxProviderOptions Options()
    {
        var options = new LocalOnnxProviderOptions();
        options.Runtime.IntraOpThreads = 1;
        options.ModelSource.Offline = true;
        return options;
    }
}
