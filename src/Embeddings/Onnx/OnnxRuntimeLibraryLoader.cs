using System.Runtime.InteropServices;

namespace Embeddings.Onnx;

/// <summary>
/// Finds and loads the ONNX Runtime native library the way applications ship it: an explicit path, the
/// <see cref="EnvironmentVariable"/>, next to the application, under <c>runtimes/&lt;rid&gt;/native/</c> (where the
/// Microsoft.ML.OnnxRuntime package puts it), then the operating system's own search.
/// </summary>
internal static class OnnxRuntimeLibraryLoader
{
    /// <summary>The environment variable that names the library file (or its folder).</summary>
    public const string EnvironmentVariable = "EMBEDDINGS_ONNXRUNTIME_PATH";

    /// <summary>The library's name as the official .NET binding imports it.</summary>
    public const string LibraryName = "onnxruntime";

    /// <summary>Gets the file names the library has on this operating system, most usual first.</summary>
    public static IReadOnlyList<string> FileNames { get; } =
        OperatingSystem.IsWindows() ? ["onnxruntime.dll"]
        : OperatingSystem.IsMacOS() ? ["libonnxruntime.dylib", "libonnxruntime.1.dylib"]
        : ["libonnxruntime.so", "libonnxruntime.so.1"];

    /// <summary>Loads the library, or throws a <see cref="NativeLibraryException"/> naming every location tried.</summary>
    /// <param name="explicitPath">A file or folder the caller chose; when set, nothing else is tried.</param>
    /// <param name="environmentPath">The value of <see cref="EnvironmentVariable"/>; when set (and no explicit path
    /// is), nothing else is tried.</param>
    /// <param name="appDirectories">Folders to look in (and under their <c>runtimes/&lt;rid&gt;/native/</c>) before the
    /// operating system's search.</param>
    /// <returns>The library handle and where it came from (a full path, or the name given to the OS search).</returns>
    public static (IntPtr Handle, string Source) Load(string? explicitPath, string? environmentPath, IEnumerable<string> appDirectories)
    {
        var searched = new List<string>();
        var problems = new List<string>();

        if (!string.IsNullOrWhiteSpace(explicitPath))
        {
            return LoadChosen(explicitPath, "OnnxRuntimeOptions.LibraryPath", searched, problems);
        }

        if (!string.IsNullOrWhiteSpace(environmentPath))
        {
            return LoadChosen(environmentPath, "the environment variable " + EnvironmentVariable, searched, problems);
        }

        foreach (string dir in appDirectories.Where(d => !string.IsNullOrEmpty(d)).Select(Path.GetFullPath).Distinct(StringComparer.Ordinal))
        {
            foreach (string candidate in CandidatesIn(dir))
            {
                if (TryLoadFile(candidate, searched, problems, out IntPtr handle))
                {
                    return (handle, candidate);
                }
            }
        }

        // The OS search: deps.json native assets, LD_LIBRARY_PATH / PATH / DYLD paths and the system folders.
        searched.Add($"the operating system's library search for '{LibraryName}'");
        if (NativeLibrary.TryLoad(LibraryName, typeof(OnnxRuntimeLibraryLoader).Assembly, null, out IntPtr found))
        {
            return (found, LibraryName);
        }

        foreach (string name in FileNames)
        {
            searched.Add($"the operating system's library search for '{name}'");
            if (NativeLibrary.TryLoad(name, out found))
            {
                return (found, name);
            }
        }

        throw NotFound("ONNX Runtime was not found.", searched, problems);
    }

    /// <summary>Gets the folders under an application folder where the library may be, in search order.</summary>
    public static IEnumerable<string> CandidatesIn(string directory)
    {
        foreach (string name in FileNames)
        {
            yield return Path.Combine(directory, name);
        }

        foreach (string rid in RuntimeIdentifiers())
        {
            foreach (string name in FileNames)
            {
                yield return Path.Combine(directory, "runtimes", rid, "native", name);
            }
        }
    }

    /// <summary>Gets the default application folders: the app's base folder and this assembly's folder.</summary>
    public static IEnumerable<string> DefaultAppDirectories()
    {
        yield return AppContext.BaseDirectory;
        string location = typeof(OnnxRuntimeLibraryLoader).Assembly.Location;
        if (!string.IsNullOrEmpty(location))
        {
            yield return Path.GetDirectoryName(location)!;
        }
    }

    private static (IntPtr Handle, string Source) LoadChosen(string path, string origin, List<string> searched, List<string> problems)
    {
        string full = Path.GetFullPath(path);
        IEnumerable<string> candidates = Directory.Exists(full) ? CandidatesIn(full) : [full];
        foreach (string candidate in candidates)
        {
            if (TryLoadFile(candidate, searched, problems, out IntPtr handle))
            {
                return (handle, candidate);
            }
        }

        throw NotFound($"ONNX Runtime could not be loaded from '{full}', set by {origin}.", searched, problems);
    }

    private static bool TryLoadFile(string path, List<string> searched, List<string> problems, out IntPtr handle)
    {
        searched.Add(path);
        handle = IntPtr.Zero;
        if (!File.Exists(path))
        {
            return false;
        }

        try
        {
            handle = NativeLibrary.Load(path);
            return true;
        }
        catch (Exception ex) when (ex is DllNotFoundException or BadImageFormatException)
        {
            // The file is there but the loader refused it (wrong architecture, missing dependency): say why.
            problems.Add($"{path}: {ex.Message}");
            return false;
        }
    }

    private static IEnumerable<string> RuntimeIdentifiers()
    {
        string arch = RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant();
        string os = OperatingSystem.IsWindows() ? "win" : OperatingSystem.IsMacOS() ? "osx" : "linux";
        string portable = os + "-" + arch;
        string current = RuntimeInformation.RuntimeIdentifier;
        if (!string.Equals(current, portable, StringComparison.Ordinal))
        {
            yield return current;
        }

        yield return portable;
    }

    private static NativeLibraryException NotFound(string headline, List<string> searched, List<string> problems)
    {
        var message = new System.Text.StringBuilder(headline);
        message.AppendLine().Append("Searched:");
        foreach (string place in searched)
        {
            message.AppendLine().Append("  - ").Append(place);
        }

        if (problems.Count > 0)
        {
            message.AppendLine().Append("Found but not loadable:");
            foreach (string problem in problems)
            {
                message.AppendLine().Append("  - ").Append(problem);
            }
        }

        message.AppendLine()
            .Append("To fix: reference the Microsoft.ML.OnnxRuntime NuGet package (it places ")
            .Append(FileNames[0])
            .Append(" under runtimes/<rid>/native/), or install ONNX Runtime ")
            .Append(OnnxRuntime.MinimumVersion)
            .Append(" or newer where the operating system finds libraries, or set ")
            .Append(EnvironmentVariable)
            .Append(" (or OnnxRuntimeOptions.LibraryPath) to the library file.");
        return new NativeLibraryException(LibraryName, searched.AsReadOnly(), message.ToString());
    }
}
