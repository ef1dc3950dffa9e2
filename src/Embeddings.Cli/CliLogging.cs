using Embeddings.Cli.Output;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace Embeddings.Cli;

/// <summary>Logging for the tool: one line per message, always on stderr (stdout carries only results), warnings and
/// errors by default, debug and whole exceptions with <c>--verbose</c>.</summary>
internal static class CliLogging
{
    public static LogLevel Level(bool verbose) => verbose ? LogLevel.Debug : LogLevel.Warning;

    /// <param name="logging">The logging to configure.</param>
    /// <param name="verbose">Whether <c>--verbose</c> was given.</param>
    /// <param name="minimum">The lowest level logged, for a long-running command (serve); otherwise warnings, or debug
    /// when verbose. Errors are then left to the command, which reports each as an error line or its one failure line.</param>
    public static void Configure(ILoggingBuilder logging, bool verbose, LogLevel? minimum = null)
    {
        CliConsoleFormatter.Verbose = verbose;
        logging.ClearProviders();
        LogLevel lowest = minimum ?? Level(verbose);
        logging.SetMinimumLevel(lowest);
        if (minimum is null && !verbose)
        {
            // A filter function replaces the minimum level, so it checks both.
            logging.AddFilter((_, level) => level >= lowest && level < LogLevel.Error);
        }

        logging.AddConsole(o => o.FormatterName = CliConsoleFormatter.FormatterName);
        logging.AddConsoleFormatter<CliConsoleFormatter, ConsoleFormatterOptions>();
        logging.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
    }

    public static ILoggerFactory CreateFactory(bool verbose) => LoggerFactory.Create(logging => Configure(logging, verbose));
}
