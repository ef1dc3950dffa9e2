using System.Runtime.InteropServices;

namespace Embeddings.Imaging;

/// <summary>
/// The libvips C API, loaded once per process. Only non-variadic entry points are bound: operations are created by
/// name, their arguments set through GObject properties and built through the operation cache, which is correct on
/// every calling convention (the variadic convenience functions are not, on macOS arm64).
/// </summary>
internal sealed unsafe class Libvips
{
    /// <summary>The environment variable that names the libvips library file to load.</summary>
    internal const string PathEnvironmentVariable = "EMBEDDINGS_LIBVIPS_PATH";

    private const string LibraryName = "libvips";

    // GLib's G_LOG_LEVEL_WARNING | G_LOG_LEVEL_MESSAGE | G_LOG_LEVEL_INFO | G_LOG_LEVEL_DEBUG.
    private const int WarningLevels = (1 << 4) | (1 << 5) | (1 << 6) | (1 << 7);

    private static readonly Lock s_loadLock = new();
    private static readonly Lock s_errorLock = new();
    private static Libvips? s_instance;
    private static (string? ExplicitPath, NativeLibraryException Error)? s_failure;

    private Libvips(nint vips, nint gobject, nint glib, string location)
    {
        Location = location;

        Init = (delegate* unmanaged<byte*, int>)Export(vips, gobject, glib, "vips_init");
        CacheSetMax = (delegate* unmanaged<int, void>)Export(vips, gobject, glib, "vips_cache_set_max");
        ConcurrencySet = (delegate* unmanaged<int, void>)Export(vips, gobject, glib, "vips_concurrency_set");
        ErrorBuffer = (delegate* unmanaged<byte*>)Export(vips, gobject, glib, "vips_error_buffer");
        ErrorClear = (delegate* unmanaged<void>)Export(vips, gobject, glib, "vips_error_clear");
        VersionString = (delegate* unmanaged<byte*>)Export(vips, gobject, glib, "vips_version_string");
        FindLoadBuffer = (delegate* unmanaged<void*, nuint, byte*>)Export(vips, gobject, glib, "vips_foreign_find_load_buffer");
        OperationNew = (delegate* unmanaged<byte*, nint>)Export(vips, gobject, glib, "vips_operation_new");
        CacheOperationBuild = (delegate* unmanaged<nint, nint>)Export(vips, gobject, glib, "vips_cache_operation_build");
        ObjectUnrefOutputs = (delegate* unmanaged<nint, void>)Export(vips, gobject, glib, "vips_object_unref_outputs");
        ObjectSetArgumentFromString = (delegate* unmanaged<nint, byte*, byte*, int>)Export(vips, gobject, glib, "vips_object_set_argument_from_string");
        BlobGetType = (delegate* unmanaged<nuint>)Export(vips, gobject, glib, "vips_blob_get_type");
        ImageGetType = (delegate* unmanaged<nuint>)Export(vips, gobject, glib, "vips_image_get_type");
        ValueSetBlob = (delegate* unmanaged<GValue*, nint, void*, nuint, void>)Export(vips, gobject, glib, "vips_value_set_blob");
        RegionNew = (delegate* unmanaged<nint, nint>)Export(vips, gobject, glib, "vips_region_new");
        RegionFetch = (delegate* unmanaged<nint, int, int, int, int, nuint*, byte*>)Export(vips, gobject, glib, "vips_region_fetch");
        Free = (delegate* unmanaged<void*, void>)Export(vips, gobject, glib, "g_free");
        ImageGetWidth = (delegate* unmanaged<nint, int>)Export(vips, gobject, glib, "vips_image_get_width");
        ImageGetHeight = (delegate* unmanaged<nint, int>)Export(vips, gobject, glib, "vips_image_get_height");
        ImageGetBands = (delegate* unmanaged<nint, int>)Export(vips, gobject, glib, "vips_image_get_bands");
        ImageGetFormat = (delegate* unmanaged<nint, int>)Export(vips, gobject, glib, "vips_image_get_format");
        ImageGetInterpretation = (delegate* unmanaged<nint, int>)Export(vips, gobject, glib, "vips_image_get_interpretation");
        ImageGetTypeof = (delegate* unmanaged<nint, byte*, nuint>)Export(vips, gobject, glib, "vips_image_get_typeof");
        ImageGetInt = (delegate* unmanaged<nint, byte*, int*, int>)Export(vips, gobject, glib, "vips_image_get_int");
        ImageGetBlob = (delegate* unmanaged<nint, byte*, void**, nuint*, int>)Export(vips, gobject, glib, "vips_image_get_blob");
        ObjectSetProperty = (delegate* unmanaged<nint, byte*, GValue*, void>)Export(vips, gobject, glib, "g_object_set_property");
        ObjectGetProperty = (delegate* unmanaged<nint, byte*, GValue*, void>)Export(vips, gobject, glib, "g_object_get_property");
        ObjectRef = (delegate* unmanaged<nint, nint>)Export(vips, gobject, glib, "g_object_ref");
        ObjectUnref = (delegate* unmanaged<nint, void>)Export(vips, gobject, glib, "g_object_unref");
        ValueInit = (delegate* unmanaged<GValue*, nuint, GValue*>)Export(vips, gobject, glib, "g_value_init");
        ValueUnset = (delegate* unmanaged<GValue*, void>)Export(vips, gobject, glib, "g_value_unset");
        ValueGetObject = (delegate* unmanaged<GValue*, nint>)Export(vips, gobject, glib, "g_value_get_object");

        LogSetHandler = (delegate* unmanaged<byte*, int, delegate* unmanaged<byte*, int, byte*, void*, void>, void*, uint>)Export(vips, gobject, glib, "g_log_set_handler");

        // Optional (libvips 8.13+): refuses loaders libvips itself marks as unsafe for untrusted input.
        nint blockUntrusted = TryExport(vips, gobject, glib, "vips_block_untrusted_set");
        BlockUntrustedSet = (delegate* unmanaged<int, void>)blockUntrusted;
    }

    /// <summary>Gets the file or name the library was loaded from.</summary>
    internal string Location { get; }

    /// <summary>Gets the libvips version, for example <c>8.18.7</c>.</summary>
    internal string Version => Marshal.PtrToStringUTF8((nint)VersionString()) ?? "unknown";

#pragma warning disable SA1600, CS1591 // The fields mirror the C functions of the same names.
    internal readonly delegate* unmanaged<byte*, int> Init;
    internal readonly delegate* unmanaged<int, void> CacheSetMax;
    internal readonly delegate* unmanaged<int, void> ConcurrencySet;
    internal readonly delegate* unmanaged<int, void> BlockUntrustedSet;
    internal readonly delegate* unmanaged<byte*> ErrorBuffer;
    internal readonly delegate* unmanaged<void> ErrorClear;
    internal readonly delegate* unmanaged<byte*> VersionString;
    internal readonly delegate* unmanaged<void*, nuint, byte*> FindLoadBuffer;
    internal readonly delegate* unmanaged<byte*, nint> OperationNew;
    internal readonly delegate* unmanaged<nint, nint> CacheOperationBuild;
    internal readonly delegate* unmanaged<nint, void> ObjectUnrefOutputs;
    internal readonly delegate* unmanaged<nint, byte*, byte*, int> ObjectSetArgumentFromString;
    internal readonly delegate* unmanaged<nuint> BlobGetType;
    internal readonly delegate* unmanaged<nuint> ImageGetType;
    internal readonly delegate* unmanaged<GValue*, nint, void*, nuint, void> ValueSetBlob;
    internal readonly delegate* unmanaged<nint, nint> RegionNew;
    internal readonly delegate* unmanaged<nint, int, int, int, int, nuint*, byte*> RegionFetch;
    internal readonly delegate* unmanaged<void*, void> Free;
    internal readonly delegate* unmanaged<nint, int> ImageGetWidth;
    internal readonly delegate* unmanaged<nint, int> ImageGetHeight;
    internal readonly delegate* unmanaged<nint, int> ImageGetBands;
    internal readonly delegate* unmanaged<nint, int> ImageGetFormat;
    internal readonly delegate* unmanaged<nint, int> ImageGetInterpretation;
    internal readonly delegate* unmanaged<nint, byte*, nuint> ImageGetTypeof;
    internal readonly delegate* unmanaged<nint, byte*, int*, int> ImageGetInt;
    internal readonly delegate* unmanaged<nint, byte*, void**, nuint*, int> ImageGetBlob;
    internal readonly delegate* unmanaged<nint, byte*, GValue*, void> ObjectSetProperty;
    internal readonly delegate* unmanaged<nint, byte*, GValue*, void> ObjectGetProperty;
    internal readonly delegate* unmanaged<nint, nint> ObjectRef;
    internal readonly delegate* unmanaged<nint, void> ObjectUnref;
    internal readonly delegate* unmanaged<GValue*, nuint, GValue*> ValueInit;
    internal readonly delegate* unmanaged<GValue*, void> ValueUnset;
    internal readonly delegate* unmanaged<GValue*, nint> ValueGetObject;
    internal readonly delegate* unmanaged<byte*, int, delegate* unmanaged<byte*, int, byte*, void*, void>, void*, uint> LogSetHandler;
#pragma warning restore SA1600, CS1591

    /// <summary>
    /// Returns the process-wide libvips, loading and initialising it on first use: <paramref name="explicitPath"/>,
    /// then <see cref="PathEnvironmentVariable"/>, then a sharp-libvips build next to the application, then the
    /// system's libvips. Once loaded, later calls return the same library whatever path they name (two copies of
    /// glib in one process do not work).
    /// </summary>
    /// <param name="explicitPath">A library file to load, or <see langword="null"/>.</param>
    /// <returns>The library.</returns>
    /// <exception cref="NativeLibraryException">No usable libvips was found; the message names every location tried.</exception>
    internal static Libvips Get(string? explicitPath = null)
    {
        Libvips? instance = Volatile.Read(ref s_instance);
        if (instance is not null)
        {
            return instance;
        }

        lock (s_loadLock)
        {
            // A failed search is not repeated for every image (the files do not appear while the process runs), unless
            // a caller names another file.
            if (s_failure is { } failure && failure.ExplicitPath == explicitPath)
            {
                throw failure.Error;
            }

            try
            {
                s_instance ??= Load(Candidates(explicitPath));
            }
            catch (NativeLibraryException e)
            {
                s_failure = (explicitPath, e);
                throw;
            }

            return s_instance;
        }
    }

    /// <summary>
    /// Clears libvips' error buffer after a call reported failure. The buffer is one string for the whole process, so
    /// while other threads decode it also holds their lines: per-input messages are written in this library's words
    /// instead of quoting it (another input's detail, or another request's, must never appear in this one's error).
    /// </summary>
    internal void DiscardError()
    {
        lock (s_errorLock)
        {
            ErrorClear();
        }
    }

    /// <summary>Reads and clears libvips' error buffer (a process-wide string): only where no other thread can be
    /// using libvips, such as its initialisation.</summary>
    /// <returns>The message, without trailing newlines; empty when libvips left none.</returns>
    internal string TakeError()
    {
        lock (s_errorLock)
        {
            string message = Marshal.PtrToStringUTF8((nint)ErrorBuffer()) ?? string.Empty;
            ErrorClear();

            // libvips often repeats a line (once per stage that saw the failure).
            return string.Join("; ", message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct());
        }
    }

    /// <summary>Loads and initialises the first usable libvips among <paramref name="candidates"/>.</summary>
    /// <param name="candidates">File paths or library names, in order of preference.</param>
    /// <returns>The library.</returns>
    /// <exception cref="NativeLibraryException">None is usable.</exception>
    internal static Libvips Load(IEnumerable<string> candidates)
    {
        var searched = new List<string>();
        foreach (string candidate in candidates)
        {
            if (!NativeLibrary.TryLoad(candidate, out nint handle))
            {
                searched.Add($"{candidate} (not found or not loadable)");
                continue;
            }

            // A system libvips keeps g_object_unref / g_free in the separate glib and gobject libraries.
            nint gobject = TryExport(handle, 0, 0, "g_object_unref") != 0 ? handle : LoadFirst(GObjectNames());
            nint glib = TryExport(handle, 0, 0, "g_free") != 0 ? handle : LoadFirst(GLibNames());
            try
            {
                var vips = new Libvips(handle, gobject, glib, candidate);
                vips.Initialise();
                return vips;
            }
            catch (EntryPointNotFoundException e)
            {
                searched.Add($"{candidate} (loaded, but {e.Message})");
            }
            catch (InvalidOperationException e)
            {
                searched.Add($"{candidate} (loaded, but {e.Message})");
            }
        }

        throw new NativeLibraryException(
            LibraryName,
            searched,
            "libvips, which decodes images, was not found or is not usable. Tried: " + string.Join("; ", searched) + ". "
            + "Install it (Debian/Ubuntu: apt-get install libvips42; Fedora: dnf install vips; macOS: brew install vips), "
            + $"or set {PathEnvironmentVariable} or ImageDecoderOptions.LibvipsPath to the library file "
            + "(the sharp-libvips npm packages ship one).");
    }

    private static IEnumerable<string> Candidates(string? explicitPath)
    {
        if (!string.IsNullOrEmpty(explicitPath))
        {
            yield return explicitPath;
        }

        string? fromEnvironment = Environment.GetEnvironmentVariable(PathEnvironmentVariable);
        if (!string.IsNullOrEmpty(fromEnvironment))
        {
            yield return fromEnvironment;
        }

        foreach (string directory in new[] { AppContext.BaseDirectory, Path.Combine(AppContext.BaseDirectory, "runtimes", RuntimeInformation.RuntimeIdentifier, "native") })
        {
            if (!Directory.Exists(directory))
            {
                continue;
            }

            foreach (string pattern in BundledPatterns())
            {
                // Newest version first when several builds sit side by side.
                foreach (string file in Directory.EnumerateFiles(directory, pattern).Order(StringComparer.Ordinal).Reverse())
                {
                    yield return file;
                }
            }
        }

        foreach (string name in SystemNames())
        {
            yield return name;
        }
    }

    private static string[] BundledPatterns() =>
        OperatingSystem.IsWindows() ? ["libvips-42.dll", "libvips-cpp*.dll"]
        : OperatingSystem.IsMacOS() ? ["libvips-cpp.*.dylib"]
        : ["libvips-cpp.so.*"];

    private static string[] SystemNames() =>
        OperatingSystem.IsWindows() ? ["libvips-42.dll"]
        : OperatingSystem.IsMacOS() ? ["libvips.42.dylib"]
        : ["libvips.so.42"];

    private static string[] GObjectNames() =>
        OperatingSystem.IsWindows() ? ["libgobject-2.0-0.dll"]
        : OperatingSystem.IsMacOS() ? ["libgobject-2.0.0.dylib"]
        : ["libgobject-2.0.so.0"];

    private static string[] GLibNames() =>
        OperatingSystem.IsWindows() ? ["libglib-2.0-0.dll"]
        : OperatingSystem.IsMacOS() ? ["libglib-2.0.0.dylib"]
        : ["libglib-2.0.so.0"];

    private static nint LoadFirst(string[] names)
    {
        foreach (string name in names)
        {
            if (NativeLibrary.TryLoad(name, out nint handle))
            {
                return handle;
            }
        }

        return 0;
    }

    private static nint TryExport(nint vips, nint gobject, nint glib, string name)
    {
        foreach (nint handle in new[] { vips, gobject, glib })
        {
            if (handle != 0 && NativeLibrary.TryGetExport(handle, name, out nint address))
            {
                return address;
            }
        }

        return 0;
    }

    private static nint Export(nint vips, nint gobject, nint glib, string name)
    {
        nint address = TryExport(vips, gobject, glib, name);
        return address != 0 ? address : throw new EntryPointNotFoundException($"the export '{name}' is missing");
    }

    [UnmanagedCallersOnly]
    private static void IgnoreLog(byte* domain, int level, byte* message, void* userData)
    {
    }

    private void Initialise()
    {
        fixed (byte* name = "embeddings"u8)
        {
            if (Init(name) != 0)
            {
                throw new InvalidOperationException("vips_init failed: " + TakeError());
            }
        }

        // No operation cache: it would keep decoded pixels of earlier calls alive and skew every measurement.
        CacheSetMax(0);

        // Pixels are fetched on the calling thread (VipsDecoding); callers parallelise across images. Should anything
        // run a libvips pipeline with workers, one is enough.
        ConcurrencySet(1);

        // libvips prints a warning to stderr for every damaged input it reads ("VipsJpeg: premature end of JPEG
        // image"); the caller gets the failure as an exception instead, so the warnings are dropped.
        fixed (byte* domain = "VIPS"u8)
        {
            LogSetHandler(domain, WarningLevels, &IgnoreLog, null);
        }

        if (BlockUntrustedSet is not null)
        {
            BlockUntrustedSet(1);
        }
    }
}
