using System.Diagnostics;
using System.Globalization;

namespace Embeddings.Cli.Output;

/// <summary>
/// A one-line progress bar on stderr, drawn only when stderr is a terminal (so that piped or captured output never
/// carries progress noise), redrawn at most ten times a second and erased when the job ends.
/// </summary>
internal sealed class Progress : IDisposable
{
    private const int BarWidth = 28;
    private static readonly long s_redrawTicks = Stopwatch.Frequency / 10;

    private readonly TextWriter? _error;
    private readonly string _label;
    private readonly long _started = Stopwatch.GetTimestamp();
    private readonly Lock _gate = new();
    private int? _total;
    private int _done;
    private long _lastDrawn;
    private bool _drawn;

    private Progress(TextWriter? error, string label, int? total)
    {
        _error = error;
        _label = label;
        _total = total;
    }

    /// <summary>Starts a progress bar, or a silent one when stderr is redirected or progress is turned off.</summary>
    public static Progress Start(string label, int? total, bool enabled) =>
        new(enabled && !Console.IsErrorRedirected ? Console.Error : null, label, total);

    /// <summary>Sets the total once it is known (inputs read from stdin).</summary>
    public void SetTotal(int total)
    {
        lock (_gate)
        {
            _total = total;
        }
    }

    /// <summary>Counts finished items and redraws when due.</summary>
    public void Advance(int count = 1)
    {
        if (_error is null)
        {
            return;
        }

        lock (_gate)
        {
            _done += count;
            long now = Stopwatch.GetTimestamp();
            if (_drawn && now - _lastDrawn < s_redrawTicks && _done != _total)
            {
                return;
            }

            _lastDrawn = now;
            _drawn = true;
            double seconds = Stopwatch.GetElapsedTime(_started).TotalSeconds;
            string rate = seconds > 0 ? (_done / seconds).ToString("0.0", CultureInfo.InvariantCulture) : "-";
            string line = _total is { } total and > 0
                ? string.Create(CultureInfo.InvariantCulture,
                    $"{_label} [{new string('#', BarWidth * Math.Min(_done, total) / total)}{new string('.', BarWidth - (BarWidth * Math.Min(_done, total) / total))}] {_done}/{total} {rate}/s")
                : string.Create(CultureInfo.InvariantCulture, $"{_label} {_done} {rate}/s");
            _error.Write("\r" + line + "\u001b[K");
            _error.Flush();
        }
    }

    public void Dispose()
    {
        if (_error is null)
        {
            return;
        }

        lock (_gate)
        {
            if (_drawn)
            {
                _error.Write("\r\u001b[K");
                _error.Flush();
                _drawn = false;
            }
        }
    }
}
