using System.Globalization;

namespace Embeddings.Reliability.Support;

/// <summary>Resident set size of this process, read after a full garbage collection so managed garbage does not count.</summary>
internal static class Rss
{
    /// <summary>Gets the resident set size in bytes (VmRSS on Linux, the working set elsewhere).</summary>
    public static long Settled()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        if (OperatingSystem.IsLinux())
        {
            string line = File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            return long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
        }

        return Environment.WorkingSet;
    }

    /// <summary>Formats a byte count in MiB for test output.</summary>
    public static string MiB(long bytes) => (bytes / (1024.0 * 1024.0)).ToString("F1", CultureInfo.InvariantCulture) + " MiB";
}
