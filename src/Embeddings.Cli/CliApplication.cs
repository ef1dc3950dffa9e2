using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using Embeddings.Cli.Commands;
using Microsoft.Extensions.Options;

namespace Embeddings.Cli;

/// <summary>Builds the command tree, runs a command and turns failures into one line on stderr and an exit code.</summary>
internal static class CliApplication
{
    private const string ExitCodeHelp = """
        Exit codes: 0 success; 1 usage or configuration error; 2 some inputs failed (each has its error line, the
        others were written); 3 fatal runtime error (native library missing, inference failure, I/O); 130 interrupted.
        """;

    public const string ToolName = "embeddings";

    public static Command Build()
    {
        // A plain command named as the tool is installed (a RootCommand takes the name of the dll).
        var root = new Command(ToolName, "Embeddings for texts and images: SigLIP/SigLIP2, CLIP, EmbeddingGemma and "
            + "sentence-transformers models in-process (ONNX Runtime) or through a remote service.\n\n" + ExitCodeHelp)
        {
            new HelpOption(),
            new VersionOption(),
            CommonOptions.Verbose,
        };
        var examples = new Dictionary<Command, string[]>();
        void Add(Command command, string[] lines)
        {
            root.Subcommands.Add(command);
            examples[command] = lines;
        }

        Add(EmbedCommand.Create(), EmbedCommand.Examples);
        Add(SearchCommand.Create(), SearchCommand.Examples);
        Add(ClassifyCommand.Create(), ClassifyCommand.Examples);
        Add(AspectsCommand.Create(), AspectsCommand.Examples);
        Add(TokenizeCommand.Create(), TokenizeCommand.Examples);
        Add(PreprocessCommand.Create(), PreprocessCommand.Examples);
        Add(ServeCommand.Create(), ServeCommand.Examples);
        Command models = ModelsCommand.Create(examples);
        root.Subcommands.Add(models);
        examples[models] = ModelsCommand.Examples;
        examples[root] =
        [
            "embeddings embed --model ./siglip2 --image photo.jpg --text \"a red chair\"",
            "embeddings search --model ./siglip2 ./photos --query \"a dog on a beach\" --top 5",
            "embeddings serve --model onnx-community/embeddinggemma-300m-ONNX --port 7860",
            "embeddings <command> --help",
        ];

        foreach (HelpOption help in root.Options.OfType<HelpOption>())
        {
            help.Action = new ExamplesHelpAction((HelpAction)help.Action!, examples);
        }

        return root;
    }

    public static async Task<int> RunAsync(string[] args)
    {
        Command root = Build();
        ParseResult parse = root.Parse(args);
        bool verbose = parse.GetValue(CommonOptions.Verbose);
        if (parse.Action is ParseErrorAction && parse.Errors.Count > 0)
        {
            string command = string.Join(' ', Path(parse.CommandResult.Command));
            string errors = string.Join(" ", parse.Errors.Select(e => OneLine(e.Message)).Distinct(StringComparer.Ordinal));
            await Console.Error.WriteLineAsync($"embeddings: {errors} (see '{command} --help')").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        try
        {
            return await parse.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false }).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            return Report(ex, verbose);
        }
    }

    /// <summary>Folds a multi-line message (a list of searched paths, allowed values) into one line.</summary>
    internal static string OneLine(string message) =>
        string.Join(" ", message.Split(['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    private static IEnumerable<string> Path(Command command) =>
        command.Parents.OfType<Command>().FirstOrDefault() is { } parent ? Path(parent).Append(command.Name) : [command.Name];

    /// <summary>Writes a failure as one line on stderr (the whole exception with <c>--verbose</c>) and picks its exit code.</summary>
    internal static int Report(Exception ex, bool verbose)
    {
        (int code, string message) = Classify(ex);
        Console.Error.WriteLine($"embeddings: {OneLine(message)}");
        if (verbose)
        {
            Console.Error.WriteLine(ex.ToString());
        }

        return code;
    }

    private static (int Code, string Message) Classify(Exception ex) => ex switch
    {
        AggregateException { InnerExceptions.Count: 1 } aggregate => Classify(aggregate.InnerExceptions[0]),
        CliUsageException => (ExitCodes.Usage, ex.Message),
        OptionsValidationException options => (ExitCodes.Usage, "configuration error: " + string.Join(" ", options.Failures)),
        EmbeddingModelException => (ExitCodes.Usage, ex.Message),
        OperationCanceledException => (ExitCodes.Interrupted, "interrupted"),
        NativeLibraryException => (ExitCodes.Fatal, ex.Message),
        ArgumentException => (ExitCodes.Usage, ex.Message),
        InvalidOperationException => (ExitCodes.Usage, ex.Message),
        _ => (ExitCodes.Fatal, ex.Message),
    };
}
