using System.Globalization;
using System.Runtime.InteropServices;

namespace Embeddings.Reliability.Support;

/// <summary>Resident set size of this process, read once garbage is gone: a full compacting collection that returns
/// free memory to the system, and (on glibc) the native allocator's free pages trimmed, so that what earlier work
/// left behind does not drift under a measurement.</summary>
internal static partial class Rss
{
    /// <summary>Gets the resident set size in bytes (VmRSS on Linux, the working set elsewhere).</summary>
    public static long Settled()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        if (!OperatingSystem.IsLinux())
        {
            return Environment.WorkingSet;
        }

        try
        {
            _ = MallocTrim(0);
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            // Not glibc (musl): nothing to trim.
        }

        string line = File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
    }

    /// <summary>Formats a byte count in MiB for test output.</summary>
    public static string MiB(long bytes) => (bytes / (1024.0 * 1024.0)).ToString("F1", CultureInfo.InvariantCulture) + " MiB";

    [LibraryImport("libc", EntryPoint = "malloc_trim")]
    private static partial int MallocTrim(nuint pad);
}
