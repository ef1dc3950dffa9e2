using System.CommandLine;
using Embeddings.Local;
using Embeddings.Models;

namespace Embeddings.Cli;

/// <summary>Options several commands share: the model, its variant, threads, progress.</summary>
internal sealed class CommonOptions
{
    /// <summary>Prints the whole exception (stack trace) after the error line; logs at debug level.</summary>
    public static readonly Option<bool> Verbose = new("--verbose")
    {
        Description = "Print stack traces with errors and log at debug level",
        Recursive = true,
    };

    private static readonly string s_knownVariants = string.Join(", ", ModelVariantNames.All.Select(ModelVariantNames.DisplayName));

    private CommonOptions(bool modelRequired)
    {
        Model = new Option<string>("--model", "-m")
        {
            Description = "Model folder (hub layout) or hub id (resolved from the hub cache; downloaded unless HF_HUB_OFFLINE is set)",
            HelpName = "DIR|ID",
            Required = modelRequired,
        };
        Variant = CreateVariantOption("ONNX variant: " + s_knownVariants + " (default fp32)");
        Threads = new Option<int?>("--threads")
        {
            Description = "ONNX Runtime intra-op threads (default: one per core)",
            HelpName = "N",
        };
        Threads.AtLeastOne();
        NoProgress = new Option<bool>("--no-progress")
        {
            Description = "Never draw a progress bar (it is drawn only when stderr is a terminal)",
        };
    }

    public Option<string> Model { get; }

    public Option<string?> Variant { get; }

    public Option<int?> Threads { get; }

    public Option<bool> NoProgress { get; }

    /// <summary>Creates the options and adds them to <paramref name="command"/>.</summary>
    public static CommonOptions AddTo(Command command, bool modelRequired = true, bool progress = true)
    {
        var options = new CommonOptions(modelRequired);
        command.Options.Add(options.Model);
        command.Options.Add(options.Variant);
        command.Options.Add(options.Threads);
        if (progress)
        {
            command.Options.Add(options.NoProgress);
        }

        return options;
    }

    /// <summary>Local provider options from the parsed command line.</summary>
    public LocalOnnxProviderOptions LocalOptions(ParseResult parse)
    {
        var options = new LocalOnnxProviderOptions();
        if (parse.GetValue(Variant) is { } variant)
        {
            options.ModelSource.Variant = ParseVariant(variant)!.Value;
        }

        if (parse.GetValue(Threads) is { } threads)
        {
            options.Runtime.IntraOpThreads = threads;
        }

        return options;
    }

    public bool ProgressEnabled(ParseResult parse) => !parse.GetValue(NoProgress);

    /// <summary>Creates a <c>--variant</c> option that refuses, as a usage error, a name <see cref="ParseVariant"/>
    /// does not know.</summary>
    internal static Option<string?> CreateVariantOption(string description)
    {
        var option = new Option<string?>("--variant") { Description = description, HelpName = "NAME" };
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string?>() is { } name && ParseVariant(name) is null)
            {
                result.AddError($"Unknown variant '{name}'; known: {s_knownVariants}.");
            }
        });
        return option;
    }

    internal static ModelVariant? ParseVariant(string name)
    {
        foreach (ModelVariant variant in ModelVariantNames.All)
        {
            if (string.Equals(ModelVariantNames.DisplayName(variant), name, StringComparison.OrdinalIgnoreCase))
            {
                return variant;
            }
        }

        return null;
    }
}
