using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Embeddings.TestSupport;

/// <summary>A logger (and provider) that keeps every message, with its level and exception text, at every level.</summary>
internal sealed class CapturingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<CapturedLog> _entries = new();

    public IReadOnlyList<CapturedLog> Entries => [.. _entries];

    /// <summary>Gets every message, exception text and structured value, joined (for "never contains" checks).</summary>
    public string AllText => string.Join('\n', _entries.Select(e => $"{e.Level} {e.Message} {e.Exception} {string.Join(' ', e.State)}"));

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(CapturingLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            List<string> values = state is IEnumerable<KeyValuePair<string, object?>> pairs ? [.. pairs.Select(p => $"{p.Key}={p.Value}")] : [];
            owner._entries.Enqueue(new CapturedLog(category, logLevel, eventId, formatter(state, exception), exception?.ToString(), values));
        }
    }
}
