using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace Embeddings.Cli.Output;

/// <summary>Log lines for a command-line tool: <c>embeddings: warn: message</c> on one line; the exception's type
/// and stack only with <c>--verbose</c>, its message always.</summary>
internal sealed class CliConsoleFormatter : ConsoleFormatter
{
    public const string FormatterName = "embeddings-cli";

    public CliConsoleFormatter()
        : base(FormatterName)
    {
    }

    /// <summary>Gets or sets whether exceptions are written whole (set once, before logging starts).</summary>
    public static bool Verbose { get; set; }

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        string message = logEntry.Formatter(logEntry.State, logEntry.Exception);
        string level = logEntry.LogLevel switch
        {
            LogLevel.Trace => "trace",
            LogLevel.Debug => "debug",
            LogLevel.Information => "info",
            LogLevel.Warning => "warn",
            LogLevel.Error => "error",
            _ => "fatal",
        };
        textWriter.Write("embeddings: ");
        textWriter.Write(level);
        textWriter.Write(": ");
        textWriter.Write(CliApplication.OneLine(message));
        if (logEntry.Exception is { } exception)
        {
            textWriter.Write(Verbose ? Environment.NewLine + exception : " (" + CliApplication.OneLine(exception.Message) + ")");
        }

        textWriter.WriteLine();
    }
}
