using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;

namespace Embeddings.Onnx;

/// <summary>
/// The process-wide ONNX Runtime: the loaded library, its function table, one <c>OrtEnv</c> and the CPU memory
/// description used for tensors over managed memory. Loaded once, on first use, thread-safely.
/// </summary>
internal sealed unsafe class OnnxRuntime
{
    /// <summary>The oldest ONNX Runtime release whose API has every function this binding uses.</summary>
    public const string MinimumVersion = "1.14";

    private const int OrtLoggingLevelWarning = 2;
    private const int OrtDeviceAllocator = 0;
    private const int OrtMemTypeDefault = 0;

    private static readonly Lock s_lock = new();
    private static volatile OnnxRuntime? s_instance;
    private static OrtApi? s_api;
    private static volatile ILogger? s_logger;
    private static readonly ConcurrentDictionary<string, ILogger> s_sessionLoggers = new(StringComparer.Ordinal);
    private static long s_sessionCount;

    private readonly OrtEnvHandle _env;
    private readonly OrtMemoryInfoHandle _cpuMemory;

    private OnnxRuntime(OrtApi api, string version, string source)
    {
        Api = api;
        Version = version;
        LibrarySource = source;

        _env = new OrtEnvHandle();
        _cpuMemory = new OrtMemoryInfoHandle();
        try
        {
            IntPtr env;
            fixed (byte* logId = "Embeddings\0"u8)
            {
                var logFunction = (IntPtr)(delegate* unmanaged<IntPtr, int, byte*, byte*, byte*, byte*, void>)&OnRuntimeLog;
                OrtStatus.ThrowIfFailed(api, api.CreateEnvWithCustomLogger(logFunction, IntPtr.Zero, OrtLoggingLevelWarning, logId, &env), "creating its environment");
            }

            _env.Attach(env);
            OrtStatus.ThrowIfFailed(api, api.DisableTelemetryEvents(env), "disabling telemetry");

            IntPtr memory;
            OrtStatus.ThrowIfFailed(api, api.CreateCpuMemoryInfo(OrtDeviceAllocator, OrtMemTypeDefault, &memory), "describing CPU memory");
            _cpuMemory.Attach(memory);

            IntPtr allocator;
            OrtStatus.ThrowIfFailed(api, api.GetAllocatorWithDefaultOptions(&allocator), "getting its default allocator");
            DefaultAllocator = allocator;
        }
        catch
        {
            _cpuMemory.Dispose();
            _env.Dispose();
            throw;
        }
    }

    /// <summary>Gets the function table of the loaded runtime; only valid once a runtime has been loaded (which is
    /// the case wherever a handle exists to release).</summary>
    public static OrtApi LoadedApi => s_api ?? throw new InvalidOperationException("ONNX Runtime has not been loaded.");

    /// <summary>Gets the function table.</summary>
    public OrtApi Api { get; }

    /// <summary>Gets the runtime's version string, for example <c>1.30.0</c>.</summary>
    public string Version { get; }

    /// <summary>Gets where the library was loaded from: a full path, or the name given to the OS search.</summary>
    public string LibrarySource { get; }

    /// <summary>Gets the process-wide <c>OrtEnv*</c>.</summary>
    public IntPtr Env => _env.DangerousGetHandle();

    /// <summary>Gets the <c>OrtMemoryInfo*</c> describing ordinary CPU memory.</summary>
    public IntPtr CpuMemoryInfo => _cpuMemory.DangerousGetHandle();

    /// <summary>Gets the runtime's process-wide default allocator (never released).</summary>
    public IntPtr DefaultAllocator { get; }

    /// <summary>Loads the runtime on first use and returns it.</summary>
    /// <param name="libraryPath">An explicit library file or folder (see <see cref="OnnxRuntimeOptions.LibraryPath"/>).
    /// Once a runtime is loaded, a different explicit path is an error: a process holds one ONNX Runtime.</param>
    /// <param name="logger">Where the runtime's own warnings that concern no particular session go; the first logger
    /// given is kept.</param>
    /// <exception cref="NativeLibraryException">The library was not found, is not ONNX Runtime, or is too old.</exception>
    public static OnnxRuntime Get(string? libraryPath = null, ILogger? logger = null)
    {
        if (logger is not null && s_logger is null)
        {
            s_logger = logger;
        }

        OnnxRuntime? runtime = s_instance;
        if (runtime is null)
        {
            lock (s_lock)
            {
                // A failed load is not remembered: the caller may fix the path and try again.
                runtime = s_instance ??= Load(libraryPath);
            }
        }
        else if (!string.IsNullOrWhiteSpace(libraryPath))
        {
            runtime.EnsureLoadedFrom(libraryPath);
        }

        return runtime;
    }

    /// <summary>Gives a new session a unique log id and routes the runtime's messages about it to its logger.</summary>
    /// <param name="modelName">The model, whose file name starts the id.</param>
    /// <param name="logger">The session's logger, if any.</param>
    /// <returns>The log id; pass it to <see cref="ReleaseSessionLogId"/> when the session goes away.</returns>
    public static string CreateSessionLogId(string modelName, ILogger? logger)
    {
        string logId = $"{Path.GetFileName(modelName)}#{Interlocked.Increment(ref s_sessionCount)}";
        if (logger is not null)
        {
            s_sessionLoggers[logId] = logger;
        }

        return logId;
    }

    /// <summary>Stops routing messages for a session's log id.</summary>
    public static void ReleaseSessionLogId(string logId) => s_sessionLoggers.TryRemove(logId, out _);

    /// <summary>Gets the execution providers compiled into the runtime. A listed provider may still be unusable (the
    /// CUDA provider needs its own libraries), so try it rather than trusting this list.</summary>
    public IReadOnlyList<string> GetAvailableProviders()
    {
        byte** names;
        int count;
        OrtStatus.ThrowIfFailed(Api, Api.GetAvailableProviders(&names, &count), "listing its execution providers");
        try
        {
            var result = new string[count];
            for (int i = 0; i < count; i++)
            {
                result[i] = Marshal.PtrToStringUTF8((IntPtr)names[i]) ?? string.Empty;
            }

            return result;
        }
        finally
        {
            OrtStatus.ThrowIfFailed(Api, Api.ReleaseAvailableProviders(names, count), "releasing its provider list");
        }
    }

    /// <summary>Reads the <c>OrtApiBase</c> of a loaded library and asks for a function table.</summary>
    /// <param name="library">The library handle.</param>
    /// <param name="source">Where it came from, for messages.</param>
    /// <param name="minimumApiVersion">The API version to ask for.</param>
    /// <param name="version">The runtime's version string.</param>
    /// <returns>The function table.</returns>
    /// <exception cref="NativeLibraryException">The library is not ONNX Runtime, or it has no table for
    /// <paramref name="minimumApiVersion"/>.</exception>
    internal static OrtApi OpenApi(IntPtr library, string source, uint minimumApiVersion, out string version)
    {
        if (!NativeLibrary.TryGetExport(library, "OrtGetApiBase", out IntPtr getApiBase))
        {
            throw new NativeLibraryException(OnnxRuntimeLibraryLoader.LibraryName, [source],
                $"'{source}' was loaded but is not ONNX Runtime: it does not export OrtGetApiBase.");
        }

        // OrtApiBase = { const OrtApi* (*GetApi)(uint32_t); const char* (*GetVersionString)(void); }
        void** apiBase = ((delegate* unmanaged<void**>)getApiBase)();
        version = Marshal.PtrToStringUTF8((IntPtr)((delegate* unmanaged<byte*>)apiBase[1])()) ?? "unknown";
        void** table = ((delegate* unmanaged<uint, void**>)apiBase[0])(minimumApiVersion);
        if (table is null)
        {
            string needed = minimumApiVersion == OrtApi.MinimumApiVersion
                ? $"ONNX Runtime {MinimumVersion} or newer (C API version {minimumApiVersion})"
                : $"C API version {minimumApiVersion} or newer";
            throw new NativeLibraryException(OnnxRuntimeLibraryLoader.LibraryName, [source],
                $"ONNX Runtime {version} (from '{source}') is too old: this library needs {needed}. " +
                "Update the Microsoft.ML.OnnxRuntime package or the system installation.");
        }

        return new OrtApi(table);
    }

    private static OnnxRuntime Load(string? libraryPath)
    {
        (IntPtr library, string source) = OnnxRuntimeLibraryLoader.Load(
            libraryPath,
            Environment.GetEnvironmentVariable(OnnxRuntimeLibraryLoader.EnvironmentVariable),
            OnnxRuntimeLibraryLoader.DefaultAppDirectories());
        // On failure the library stays mapped: unloading ONNX Runtime is not safe once its initializers have run.
        OrtApi api = OpenApi(library, source, OrtApi.MinimumApiVersion, out string version);
        s_api = api;
        return new OnnxRuntime(api, version, source);
    }

    private void EnsureLoadedFrom(string libraryPath)
    {
        if (!Path.IsPathRooted(LibrarySource))
        {
            // Loaded through the OS search: its file is unknown, so there is nothing to compare against.
            return;
        }

        string wanted = Path.GetFullPath(libraryPath);
        string loaded = ResolveLinks(LibrarySource);
        IEnumerable<string> candidates = Directory.Exists(wanted) ? OnnxRuntimeLibraryLoader.CandidatesIn(wanted) : [wanted];
        if (!candidates.Any(c => string.Equals(ResolveLinks(c), loaded, StringComparison.Ordinal)))
        {
            throw new NativeLibraryException(OnnxRuntimeLibraryLoader.LibraryName, [wanted],
                $"ONNX Runtime is already loaded in this process from '{LibrarySource}'; it cannot also be loaded from '{wanted}'. " +
                "A process uses one ONNX Runtime: give every session the same OnnxRuntimeOptions.LibraryPath, or none.");
        }
    }

    private static string ResolveLinks(string path)
    {
        try
        {
            return File.ResolveLinkTarget(path, returnFinalTarget: true)?.FullName ?? path;
        }
        catch (IOException)
        {
            return path;
        }
    }

    // ONNX Runtime's own log lines (warnings and worse) go to the logger of the session they concern, or else to the
    // first logger any session was given; never to stderr.
    [UnmanagedCallersOnly]
    private static void OnRuntimeLog(IntPtr param, int severity, byte* category, byte* logId, byte* codeLocation, byte* message)
    {
        try
        {
            string? id = Marshal.PtrToStringUTF8((IntPtr)logId);
            ILogger? logger = id is not null && s_sessionLoggers.TryGetValue(id, out ILogger? sessionLogger) ? sessionLogger : s_logger;
            if (logger is null)
            {
                return;
            }

            LogLevel level = severity switch
            {
                0 => LogLevel.Trace,
                1 => LogLevel.Debug,
                2 => LogLevel.Warning,
                3 => LogLevel.Error,
                _ => LogLevel.Critical,
            };
            if (logger.IsEnabled(level))
            {
                OnnxLog.RuntimeMessage(logger, level, Marshal.PtrToStringUTF8((IntPtr)category) ?? string.Empty,
                    Marshal.PtrToStringUTF8((IntPtr)message) ?? string.Empty);
            }
        }
        catch (Exception)
        {
            // An exception must never cross back into native code; a lost log line is the lesser harm.
        }
    }
}
