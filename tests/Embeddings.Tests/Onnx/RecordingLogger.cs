using Microsoft.Extensions.Logging;

namespace Embeddings.Onnx;

/// <summary>A logger that hands every entry to a callback.</summary>
internal sealed class RecordingLogger(Action<LogLevel, EventId, string> onLog) : ILogger
{
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        onLog(logLevel, eventId, formatter(state, exception));
}
