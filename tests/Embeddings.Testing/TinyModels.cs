using System.Collections.Concurrent;
using Embeddings.Local;

namespace Embeddings.TestSupport;

/// <summary>Providers over the tiny generated models (artifacts/models/tiny), one shared provider per model for a test
/// run (they are thread-safe), one intra-op thread each.</summary>
internal static class TinyModels
{
    private static readonly ConcurrentDictionary<string, Lazy<LocalOnnxProvider>> s_shared = new(StringComparer.Ordinal);

    /// <summary>The model's folder; fails when eng/prepare.sh has not generated it.</summary>
    public static string Folder(string name)
    {
        string folder = TestAssets.TinyModelDir(name);
        return Directory.Exists(folder) ? folder : throw new DirectoryNotFoundException($"{folder} is not generated: run eng/prepare.sh");
    }

    /// <summary>The shared provider of a model, with default options.</summary>
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

    /// <summary>Default options, offline, one intra-op thread (tests run side by side).</summary>
    public static LocalOnnxProviderOptions Options()
    {
        var options = new LocalOnnxProviderOptions();
        options.Runtime.IntraOpThreads = 1;
        options.ModelSource.Offline = true;
        return options;
    }
}
