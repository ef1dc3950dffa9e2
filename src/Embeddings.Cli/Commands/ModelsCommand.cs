using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Embeddings.Cli.Output;
using Embeddings.Models;

namespace Embeddings.Cli.Commands;

/// <summary><c>embeddings models</c>: list the hub cache, fetch a model into it, generate synthetic models.</summary>
internal static class ModelsCommand
{
    public const string RandomWeightsNotice =
        "NOTE: these models have RANDOM weights (seeded, in the real hub layouts and shapes): their vectors carry no meaning. "
        + "They exist to test and benchmark pipelines without downloading weights.";

    public static readonly string[] Examples =
    [
        "embeddings models list",
        "embeddings models fetch onnx-community/embeddinggemma-300m-ONNX --variant q4",
        "embeddings models generate tiny --only minilm --out ./models",
    ];

    public static Command Create(Dictionary<Command, string[]> examples)
    {
        var command = new Command("models", "List the hub cache, fetch models into it, or generate synthetic (random-weight) models");
        Command list = CreateList();
        Command fetch = CreateFetch();
        Command generate = CreateGenerate();
        command.Subcommands.Add(list);
        command.Subcommands.Add(fetch);
        command.Subcommands.Add(generate);
        examples[list] = ["embeddings models list", "embeddings models list --cache ./hub --json"];
        examples[fetch] = ["embeddings models fetch onnx-community/siglip2-base-patch16-224-ONNX", "HF_TOKEN=... embeddings models fetch org/private-model --revision v2"];
        examples[generate] = ["embeddings models generate tiny --out ./models", "embeddings models generate full --only embeddinggemma-300m --out ./models-full"];
        return command;
    }

    private static Command CreateList()
    {
        var cache = new Option<string?>("--cache") { Description = "The hub cache folder (default: HF_HUB_CACHE, else HF_HOME/hub, else ~/.cache/huggingface/hub)", HelpName = "DIR" };
        var json = new Option<bool>("--json") { Description = "Print one JSON object per model" };
        var command = new Command("list", "List the models in the hub cache: id, revisions, size on disk, folder") { cache, json };
        command.SetAction(parse =>
        {
            string root = ModelSourceSettings.Resolve(new ModelSourceOptions { CacheDirectory = parse.GetValue(cache) }).CacheDirectory;
            List<CachedModel> models = CachedModel.Scan(root);
            if (parse.GetValue(json))
            {
                using var stdout = new JsonLineWriter(Console.OpenStandardOutput());
                foreach (CachedModel model in models)
                {
                    model.WriteJson(stdout.Json);
                    stdout.EndLine();
                }
            }
            else if (models.Count == 0)
            {
                Console.Error.WriteLine($"embeddings: no models in the hub cache '{root}'.");
            }
            else
            {
                int width = Math.Max(2, models.Max(m => m.Id.Length));
                var text = new StringBuilder();
                text.AppendLine(CultureInfo.InvariantCulture, $"{"ID".PadRight(width)}  {"REFS",-24}  {"SNAPSHOTS",9}  {"SIZE",10}  PATH");
                foreach (CachedModel model in models)
                {
                    string refs = model.Refs.Count == 0 ? "-" : string.Join(",", model.Refs.Select(r => $"{r.Key}@{r.Value[..Math.Min(7, r.Value.Length)]}"));
                    text.AppendLine(CultureInfo.InvariantCulture,
                        $"{model.Id.PadRight(width)}  {refs,-24}  {model.Snapshots.Count,9}  {FormatSize(model.SizeBytes),10}  {model.Folder}");
                }

                Console.Out.Write(text.ToString());
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command CreateFetch()
    {
        var id = new Argument<string>("ID") { Description = "The hub id, for example onnx-community/embeddinggemma-300m-ONNX" };
        var revision = new Option<string?>("--revision") { Description = "Branch, tag or commit (default main)", HelpName = "REV" };
        var variant = CommonOptions.CreateVariantOption("ONNX variant to fetch: " + string.Join(", ", ModelVariantNames.All.Select(ModelVariantNames.DisplayName)));
        var zeroShot = new Option<bool>("--zero-shot") { Description = "Also fetch the combined graph zero-shot classification reads logit_scale from" };
        var command = new Command("fetch", "Download a model's files (config, tokenizer, the ONNX graphs of one variant) into the hub cache and print its folder")
        {
            id, revision, variant, zeroShot,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            string repo = parse.GetValue(id)!;
            if (!HubPaths.IsRepoId(repo) || !repo.Contains('/', StringComparison.Ordinal))
            {
                throw new CliUsageException($"'{repo}' is not a hub id (org/name).");
            }

            var source = new ModelSourceOptions { Offline = false, Revision = parse.GetValue(revision) };
            if (parse.GetValue(variant) is { } name)
            {
                source.Variant = CommonOptions.ParseVariant(name)!.Value; // checked by the option's validator
            }

            ModelDescription description = await new ModelResolver().ResolveAsync(repo, source, parse.GetValue(zeroShot), cancellationToken).ConfigureAwait(false);
            await Console.Error.WriteLineAsync($"embeddings: {description.ModelId} at {description.Revision}: {description.Files.Count} files").ConfigureAwait(false);
            await Console.Out.WriteLineAsync(description.Folder).ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command CreateGenerate()
    {
        var size = new Argument<string>("SIZE") { Description = "tiny (unit-test models, seconds) or full (real EmbeddingGemma-300m / SigLIP2 shapes, minutes and GBs)" };
        size.AcceptOnlyFromAmong("tiny", "full");
        var only = new Option<string?>("--only") { Description = "Comma-separated model names (tiny: siglip2, embeddinggemma, embeddinggemma-dense, minilm, clip, ...)", HelpName = "NAME[,NAME]" };
        var output = new Option<string>("--out", "-o") { Description = "Output folder (one sub-folder per model)", HelpName = "DIR", Required = true };
        var generator = new Option<string?>("--generator") { Description = "Path of eng/models/generate.py (default: found above the tool or the current folder)", HelpName = "PATH" };
        var python = new Option<string?>("--python") { Description = "Python with numpy and onnx (default /usr/bin/python3, else python3)", HelpName = "PATH" };
        var command = new Command("generate", "Generate synthetic models with RANDOM weights in real hub layouts (runs eng/models/generate.py)")
        {
            size, only, output, generator, python,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            string script = parse.GetValue(generator) ?? FindGenerator()
                ?? throw new CliUsageException("eng/models/generate.py was not found above the tool or the current folder; give --generator PATH (it is in the Embeddings repository).");
            if (!File.Exists(script))
            {
                throw new CliUsageException($"The generator '{script}' does not exist.");
            }

            string interpreter = parse.GetValue(python) ?? (File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3");
            string outDir = Path.GetFullPath(parse.GetValue(output)!);
            var start = new ProcessStartInfo(interpreter) { UseShellExecute = false, RedirectStandardOutput = true };
            start.ArgumentList.Add(script);
            start.ArgumentList.Add(parse.GetValue(size)!);
            start.ArgumentList.Add("--out");
            start.ArgumentList.Add(outDir);
            if (parse.GetValue(only) is { } names)
            {
                start.ArgumentList.Add("--only");
                start.ArgumentList.Add(names);
            }

            await Console.Error.WriteLineAsync("embeddings: " + RandomWeightsNotice).ConfigureAwait(false);
            Process process;
            try
            {
                process = Process.Start(start) ?? throw new CliUsageException($"Could not start '{interpreter}'.");
            }
            catch (System.ComponentModel.Win32Exception ex)
            {
                throw new CliUsageException($"Could not start '{interpreter}': {ex.Message}. Give --python PATH (a Python with numpy and onnx).", ex);
            }

            using (process)
            {
                // The generator's progress lines are for people: stderr. stdout gets the summary.
                while (await process.StandardOutput.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
                {
                    await Console.Error.WriteLineAsync(line).ConfigureAwait(false);
                }

                await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
                if (process.ExitCode != 0)
                {
                    await Console.Error.WriteLineAsync($"embeddings: the generator failed (exit code {process.ExitCode}).").ConfigureAwait(false);
                    return process.ExitCode == 2 ? ExitCodes.Usage : ExitCodes.Fatal;
                }
            }

            string[] folders = parse.GetValue(only) is { } selected
                ? [.. ClassifyCommand.SplitList(selected).Select(n => Path.Combine(outDir, n))]
                : [.. Directory.EnumerateDirectories(outDir).Where(d => !Path.GetFileName(d).StartsWith('.')).Order(StringComparer.Ordinal)];
            foreach (string folder in folders)
            {
                await Console.Out.WriteLineAsync(folder).ConfigureAwait(false);
            }

            await Console.Out.WriteLineAsync(RandomWeightsNotice).ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>Looks for eng/models/generate.py in the folders above the tool and above the current folder.</summary>
    private static string? FindGenerator()
    {
        foreach (string start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (DirectoryInfo? dir = new(start); dir is not null; dir = dir.Parent)
            {
                string candidate = Path.Combine(dir.FullName, "eng", "models", "generate.py");
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        return null;
    }

    private static string FormatSize(long bytes) => bytes switch
    {
        >= 1L << 30 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 30):0.0} GiB"),
        >= 1L << 20 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 20):0.0} MiB"),
        >= 1L << 10 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 10):0.0} KiB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes} B"),
    };
}
