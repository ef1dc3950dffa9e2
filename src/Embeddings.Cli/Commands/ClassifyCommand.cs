using System.CommandLine;
using Embeddings.Cli.Output;
using Embeddings.Local;

namespace Embeddings.Cli.Commands;

/// <summary>
/// <c>embeddings classify</c>: zero-shot labels for images, one JSON line per image in argument order:
/// <c>{"image":PATH,"labels":[{"label":...,"score":...},...]}</c> best first, or <c>{"image":PATH,"error":{...}}</c>.
/// </summary>
internal static class ClassifyCommand
{
    public static readonly string[] Examples =
    [
        "embeddings classify --model ./siglip2 --labels cat,dog,chair photo1.jpg photo2.jpg",
        "embeddings classify --model ./siglip2 --label \"a wooden chair\" --label \"a metal chair\" --template \"{}\" chair.jpg",
    ];

    public static Command Create()
    {
        var command = new Command("classify", "Zero-shot classify images against labels (SigLIP sigmoid or CLIP softmax scores); one JSON line per image");
        CommonOptions common = CommonOptions.AddTo(command);
        var label = new Option<string[]>("--label", "-l") { Description = "A candidate label (repeatable)", HelpName = "LABEL" };
        var labels = new Option<string?>("--labels") { Description = "Comma-separated candidate labels", HelpName = "A,B,C" };
        var template = new Option<string?>("--template")
        {
            Description = $"Hypothesis template; {{}} is replaced by the label (default \"{LocalOnnxProviderDefaults.HypothesisTemplate}\")",
            HelpName = "TEXT",
        };
        var top = new Option<int?>("--top", "-k") { Description = "Print only the K best labels per image", HelpName = "K" };
        top.AtLeastOne();
        var images = new Argument<string[]>("IMAGE") { Description = "Image files", Arity = ArgumentArity.OneOrMore };
        command.Options.Add(label);
        command.Options.Add(labels);
        command.Options.Add(template);
        command.Options.Add(top);
        command.Arguments.Add(images);

        command.SetAction(async (parse, cancellationToken) =>
        {
            string[] candidates = [.. (parse.GetValue(label) ?? []).Concat(SplitList(parse.GetValue(labels)))];
            if (candidates.Length == 0)
            {
                throw new CliUsageException("Give at least one label: --label LABEL (repeatable) or --labels a,b,c.");
            }

            var options = new ZeroShotOptions();
            if (parse.GetValue(template) is { } hypothesis)
            {
                options.HypothesisTemplate = hypothesis;
            }

            string[] paths = parse.GetValue(images)!;
            LocalOnnxProviderOptions local = common.LocalOptions(parse);
            local.LoadZeroShotHead = true;
            using var loggerFactory = CliLogging.CreateFactory(parse.GetValue(CommonOptions.Verbose));
            using LocalOnnxProvider provider = await LocalModels.LoadAsync(parse.GetValue(common.Model)!, local, loggerFactory, cancellationToken).ConfigureAwait(false);
            using Progress progress = Progress.Start("classifying", paths.Length, common.ProgressEnabled(parse));
            using var stdout = new JsonLineWriter(new BufferedStream(Console.OpenStandardOutput(), 1 << 16));
            int keep = parse.GetValue(top) ?? candidates.Length;
            bool failed = false;
            foreach (string[] chunk in paths.Chunk(16))
            {
                IReadOnlyList<ZeroShotResult> results = await provider.ClassifyAsync(
                    [.. chunk.Select(p => EmbeddingInput.FromImageFile(p))], candidates, options, cancellationToken).ConfigureAwait(false);
                for (int i = 0; i < chunk.Length; i++)
                {
                    stdout.Json.WriteStartObject();
                    stdout.Json.WriteString("image", chunk[i]);
                    if (results[i].Scores is { } scores)
                    {
                        stdout.Json.WriteStartArray("labels");
                        foreach (LabelScore score in scores.OrderByDescending(s => s.Score).Take(keep))
                        {
                            stdout.Json.WriteStartObject();
                            stdout.Json.WriteString("label", score.Label);
                            stdout.Json.WriteNumber("score", score.Score);
                            stdout.Json.WriteEndObject();
                        }

                        stdout.Json.WriteEndArray();
                    }
                    else
                    {
                        failed = true;
                        JsonLineWriter.WriteErrorProperty(stdout.Json, results[i].Error!);
                    }

                    stdout.Json.WriteEndObject();
                    stdout.EndLine();
                }

                stdout.Flush();
                progress.Advance(chunk.Length);
            }

            return failed ? ExitCodes.SomeInputsFailed : ExitCodes.Ok;
        });
        return command;
    }

    internal static IEnumerable<string> SplitList(string? list) =>
        list is null ? [] : list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
}
