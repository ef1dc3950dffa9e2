using System.Text.Json;
using Embeddings.TestSupport;

namespace Embeddings.Onnx;

public sealed class OnnxRuntimeTests
{
    [Fact]
    public void Get_ReportsTheVersionOfThePackageTheLibraryCameFrom()
    {
        // The library under artifacts/native is extracted from this npm package (eng/restore-assets.sh).
        string packageJson = Path.Combine(TestAssets.RepoRoot, "artifacts", "node", "node_modules", "onnxruntime-node", "package.json");
        using JsonDocument package = JsonDocument.Parse(File.ReadAllText(packageJson));

        OnnxRuntime runtime = OnnxRuntime.Get();

        Assert.Equal(package.RootElement.GetProperty("version").GetString(), runtime.Version);
    }

    [Fact]
    public void Get_WithoutOptions_LoadsTheLibraryNextToTheApplication()
    {
        OnnxRuntime runtime = OnnxRuntime.Get();

        Assert.Equal(Path.Combine(AppContext.BaseDirectory, OnnxRuntimeLibraryLoader.FileNames[0]), runtime.LibrarySource);
    }

    [Fact]
    public void GetAvailableProviders_ListsTheCpuProvider()
    {
        IReadOnlyList<string> providers = OnnxRuntime.Get().GetAvailableProviders();

        Assert.Contains("CPUExecutionProvider", providers);
    }

    [Fact]
    public void Get_DifferentExplicitPathOnceLoaded_ThrowsBecauseAProcessHoldsOneRuntime()
    {
        OnnxRuntime runtime = OnnxRuntime.Get();
        string other = Path.Combine(Path.GetTempPath(), "elsewhere", "libonnxruntime.so");

        var ex = Assert.Throws<NativeLibraryException>(() => OnnxRuntime.Get(other));

        Assert.Contains(runtime.LibrarySource, ex.Message, StringComparison.Ordinal);
        Assert.Contains(other, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Get_SameLibraryByFolderOrFile_ReturnsTheLoadedRuntime()
    {
        OnnxRuntime runtime = OnnxRuntime.Get();

        Assert.Same(runtime, OnnxRuntime.Get(runtime.LibrarySource));
        Assert.Same(runtime, OnnxRuntime.Get(Path.GetDirectoryName(runtime.LibrarySource)));
    }
}
