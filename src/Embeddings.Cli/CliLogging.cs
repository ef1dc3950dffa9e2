using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace Embeddings.Cli;

/// <summary>Logging for the tool: one line per message, always on stderr (stdout carries only results), warnings and
/// errors by default, debug with <c>--verbose</c>.</summary>
internal static class CliLogging
{
    public static LogLevel Level(bool verbose) => verbose ? LogLevel.Debug : LogLevel.Warning;

    public static void Configure(ILoggingBuilder logging, bool verbose)
    {
        logging.ClearProviders();
        logging.SetMinimumLevel(Level(verbose));
        logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.IncludeScopes = false;
            o.TimestampFormat = verbose ? "HH:mm:ss.fff " : null;
        });
        logging.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
    }

    public static ILoggerFactory CreateFactory(bool verbose) => LoggerFactory.Create(logging => Configure(logging, verbose));
}
