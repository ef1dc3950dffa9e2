using System.Collections.Concurrent;
using Embeddings.TestSupport;

namespace Embeddings.Local;

/// <summary>Providers over the tiny generated models, loaded once per test run and shared (they are thread-safe).</summary>
internal static class LocalTestModels
{
    private static readonly ConcurrentDictionary<string, Lazy<LocalOnnxProvider>> s_shared = new(StringComparer.Ordinal);

    public static string Folder(string name)
    {
        string folder = TestAssets.TinyModelDir(name);
        Assert.True(Directory.Exists(folder), $"{folder} is not generated: run eng/prepare.sh");
        return folder;
    }

    /// <summary>The shared provider of a tiny model, with default options and one intra-op thread.</summary>
    public static LocalOnnxProvider Shared(string name)
    {
        string folder = Folder(name);
        return s_shared.GetOrAdd(name, _ => new Lazy<LocalOnnxProvider>(() => LocalOnnxProvider.Create(folder, Options()))).Value;
    }

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

    public static async Task<float[][]> EmbedTextsAsync(IEmbeddingProvider provider, IEnumerable<string> texts, EmbeddingRequestOptions? options = null)
    {
        IReadOnlyList<EmbeddingResult> results = await provider.EmbedAsync(texts, options, TestContext.Current.CancellationToken);
        return [.. results.Select(r => r.Vector.ToArray())];
    }
}
