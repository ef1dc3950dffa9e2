using System.Runtime.InteropServices;
using Embeddings.TestSupport;

namespace Embeddings.Onnx;

public sealed class OnnxRuntimeLibraryLoaderTests : IDisposable
{
    private readonly string _temp = Directory.CreateTempSubdirectory("embeddings-onnx-loader-").FullName;

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    [Fact]
    public void Load_BogusExplicitPath_ThrowsListingThePathAndTheFixes()
    {
        string bogus = Path.Combine(_temp, "nowhere", "libonnxruntime.so");

        var ex = Assert.Throws<NativeLibraryException>(() => OnnxRuntimeLibraryLoader.Load(bogus, environmentPath: null, [AppContext.BaseDirectory]));

        Assert.Equal("onnxruntime", ex.LibraryName);
        Assert.Equal([bogus], ex.Searched);
        Assert.Contains(bogus, ex.Message, StringComparison.Ordinal);
        Assert.Contains("OnnxRuntimeOptions.LibraryPath", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Microsoft.ML.OnnxRuntime", ex.Message, StringComparison.Ordinal);
        Assert.Contains(OnnxRuntimeLibraryLoader.EnvironmentVariable, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_BogusEnvironmentPath_ThrowsNamingTheVariableInsteadOfSearchingElsewhere()
    {
        string bogus = Path.Combine(_temp, "missing.so");

        var ex = Assert.Throws<NativeLibraryException>(() => OnnxRuntimeLibraryLoader.Load(null, bogus, [AppContext.BaseDirectory]));

        Assert.Equal([bogus], ex.Searched);
        Assert.Contains("the environment variable EMBEDDINGS_ONNXRUNTIME_PATH", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ExplicitFolderWithoutTheLibrary_ListsEveryCandidateIncludingRuntimesFolder()
    {
        var ex = Assert.Throws<NativeLibraryException>(() => OnnxRuntimeLibraryLoader.Load(_temp, null, []));

        Assert.Contains(Path.Combine(_temp, OnnxRuntimeLibraryLoader.FileNames[0]), ex.Searched);
        string rid = (OperatingSystem.IsWindows() ? "win-" : OperatingSystem.IsMacOS() ? "osx-" : "linux-")
            + RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant();
        Assert.Contains(Path.Combine(_temp, "runtimes", rid, "native", OnnxRuntimeLibraryLoader.FileNames[0]), ex.Searched);
        foreach (string place in ex.Searched)
        {
            Assert.Contains(place, ex.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Load_FileThatIsNotALibrary_ReportsWhyTheLoaderRefusedIt()
    {
        string fake = Path.Combine(_temp, OnnxRuntimeLibraryLoader.FileNames[0]);
        File.WriteAllText(fake, "not a shared object");

        var ex = Assert.Throws<NativeLibraryException>(() => OnnxRuntimeLibraryLoader.Load(fake, null, []));

        Assert.Contains("Found but not loadable", ex.Message, StringComparison.Ordinal);
        Assert.Contains(fake + ":", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_FolderUsingTheNuGetRuntimesLayout_FindsTheLibrary()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux() && RuntimeInformation.ProcessArchitecture == Architecture.X64, "the fetched runtime is linux-x64");
        string native = Path.Combine(_temp, "runtimes", "linux-x64", "native");
        Directory.CreateDirectory(native);
        File.CreateSymbolicLink(Path.Combine(native, "libonnxruntime.so"), Path.Combine(TestAssets.NativeDir, "libonnxruntime.so"));

        (IntPtr handle, string source) = OnnxRuntimeLibraryLoader.Load(null, null, [_temp]);

        Assert.NotEqual(IntPtr.Zero, handle);
        Assert.Equal(Path.Combine(native, "libonnxruntime.so"), source);
        Assert.True(NativeLibrary.TryGetExport(handle, "OrtGetApiBase", out _));
    }

    [Fact]
    public void Load_EnvironmentPathNamingAFolder_FindsTheLibraryInIt()
    {
        (IntPtr handle, string source) = OnnxRuntimeLibraryLoader.Load(null, TestAssets.NativeDir, []);

        Assert.NotEqual(IntPtr.Zero, handle);
        Assert.Equal(Path.Combine(TestAssets.NativeDir, OnnxRuntimeLibraryLoader.FileNames[0]), source);
    }

    [Fact]
    public void OpenApi_LibraryWithoutOrtGetApiBase_SaysItIsNotOnnxRuntime()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "uses libc as a library that is not ONNX Runtime");
        IntPtr libc = NativeLibrary.Load("libc.so.6");

        var ex = Assert.Throws<NativeLibraryException>(() => OnnxRuntime.OpenApi(libc, "libc.so.6", OrtApi.MinimumApiVersion, out _));

        Assert.Contains("is not ONNX Runtime", ex.Message, StringComparison.Ordinal);
        Assert.Contains("OrtGetApiBase", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OpenApi_ApiVersionNewerThanTheRuntime_NamesTheRuntimeVersionAndTheMinimum()
    {
        OnnxRuntime runtime = OnnxRuntime.Get();
        IntPtr library = NativeLibrary.Load(Path.Combine(TestAssets.NativeDir, "libonnxruntime.so"));
        uint tooNew = 1000;

        var ex = Assert.Throws<NativeLibraryException>(() => OnnxRuntime.OpenApi(library, "test", tooNew, out _));

        Assert.Contains($"ONNX Runtime {runtime.Version}", ex.Message, StringComparison.Ordinal);
        Assert.Contains("is too old", ex.Message, StringComparison.Ordinal);
        Assert.Contains("C API version 1000 or newer", ex.Message, StringComparison.Ordinal);
    }
}
