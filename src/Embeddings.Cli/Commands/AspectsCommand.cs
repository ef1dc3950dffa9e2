using System.CommandLine;
using Embeddings.Cli.Output;
using Embeddings.Local;

namespace Embeddings.Cli.Commands;

/// <summary>
/// <c>embeddings aspects</c>: aspect ("specialized") scores and embeddings for images — the built-in colour, texture,
/// material and style aspects and user-defined ones — one JSON line per image:
/// <c>{"image":PATH,"aspects":{"color":{"labels":[{"label":...,"score":...}],"embedding":[...]},...}}</c>.
/// </summary>
internal static class AspectsCommand
{
    public static readonly string[] Examples =
    [
        "embeddings aspects --model ./siglip2 chair.jpg",
        "embeddings aspects --model ./siglip2 --aspect color --aspect material --top 5 chair.jpg",
        "embeddings aspects --model ./siglip2 --define \"pattern=striped,checked,floral,plain\" --embeddings chair.jpg",
    ];

    public static Command Create()
    {
        var command = new Command("aspects", "Aspect scores (and, with --embeddings, aspect vectors) for images: color, texture, material, style and user-defined aspects");
        CommonOptions common = CommonOptions.AddTo(command);
        string builtIn = string.Join(", ", ImageAspect.BuiltIn.Select(a => a.Name));
        var aspect = new Option<string[]>("--aspect", "-a") { Description = $"A built-in aspect ({builtIn}); repeatable; default all of them unless --define is given", HelpName = "NAME" };
        aspect.AcceptOnlyFromAmong([.. ImageAspect.BuiltIn.Select(a => a.Name)]);
        var define = new Option<string[]>("--define", "-d") { Description = "A user-defined aspect NAME=LABEL,LABEL,... (repeatable)", HelpName = "NAME=A,B,C" };
        var template = new Option<string?>("--template")
        {
            Description = $"Template for user-defined aspects; {{}} is replaced by the label (default \"{LocalOnnxProviderDefaults.HypothesisTemplate}\")",
            HelpName = "TEXT",
        };
        var top = new Option<int>("--top", "-k") { Description = "Labels printed per aspect, best first", DefaultValueFactory = _ => 3, HelpName = "K" };
        top.AtLeastOne();
        var vectors = new Option<bool>("--embeddings") { Description = "Also print the image embedding and each aspect's embedding" };
        var images = new Argument<string[]>("IMAGE") { Description = "Image files", Arity = ArgumentArity.OneOrMore };
        command.Options.Add(aspect);
        command.Options.Add(define);
        command.Options.Add(template);
        command.Options.Add(top);
        command.Options.Add(vectors);
        command.Arguments.Add(images);

        command.SetAction(async (parse, cancellationToken) =>
        {
            List<ImageAspect> aspects = Select(parse.GetValue(aspect) ?? [], parse.GetValue(define) ?? [],
                parse.GetValue(template) ?? LocalOnnxProviderDefaults.HypothesisTemplate);
            string[] paths = parse.GetValue(images)!;
            bool withVectors = parse.GetValue(vectors);
            int keep = parse.GetValue(top);
            using var loggerFactory = CliLogging.CreateFactory(parse.GetValue(CommonOptions.Verbose));
            using LocalOnnxProvider provider = await LocalModels.LoadAsync(
                parse.GetValue(common.Model)!, common.LocalOptions(parse), loggerFactory, cancellationToken).ConfigureAwait(false);
            using Progress progress = Progress.Start("aspects", paths.Length, common.ProgressEnabled(parse));
            using var stdout = new JsonLineWriter(new BufferedStream(Console.OpenStandardOutput(), 1 << 16));
            bool failed = false;
            foreach (string[] chunk in paths.Chunk(16))
            {
                IReadOnlyList<ImageAspectsResult> results = await provider.EmbedAspectsAsync(
                    [.. chunk.Select(p => EmbeddingInput.FromImageFile(p))], aspects, cancellationToken).ConfigureAwait(false);
                for (int i = 0; i < chunk.Length; i++)
                {
                    failed |= !results[i].Succeeded;
                    Write(stdout, chunk[i], results[i], keep, withVectors);
                }

                stdout.Flush();
                progress.Advance(chunk.Length);
            }

            return failed ? ExitCodes.SomeInputsFailed : ExitCodes.Ok;
        });
        return command;
    }

    private static List<ImageAspect> Select(string[] names, string[] definitions, string template)
    {
        var aspects = new List<ImageAspect>();
        foreach (string name in names.Distinct(StringComparer.Ordinal))
        {
            aspects.Add(ImageAspect.BuiltIn.First(a => a.Name == name));
        }

        foreach (string definition in definitions)
        {
            int equals = definition.IndexOf('=', StringComparison.Ordinal);
            string name = equals < 0 ? string.Empty : definition[..equals].Trim();
            string[] labels = equals < 0 ? [] : [.. ClassifyCommand.SplitList(definition[(equals + 1)..])];
            if (name.Length == 0 || labels.Length == 0)
            {
                throw new CliUsageException($"--define '{definition}' is not NAME=LABEL,LABEL,...");
            }

            if (aspects.Any(a => a.Name == name))
            {
                throw new CliUsageException($"The aspect '{name}' is given twice.");
            }

            aspects.Add(new ImageAspect(name, labels, template));
        }

        return aspects.Count > 0 ? aspects : [.. ImageAspect.BuiltIn];
    }

    private static void Write(JsonLineWriter stdout, string path, ImageAspectsResult result, int keep, bool withVectors)
    {
        var json = stdout.Json;
        json.WriteStartObject();
        json.WriteString("image", path);
        if (result.Aspects is { } aspects)
        {
            if (withVectors)
            {
                json.WritePropertyName("embedding");
                JsonLineWriter.WriteVector(json, result.Embedding.Span);
            }

            json.WriteStartObject("aspects");
            foreach (AspectEmbedding aspect in aspects)
            {
                json.WriteStartObject(aspect.Aspect);
                json.WriteStartArray("labels");
                foreach (LabelScore score in aspect.Scores.OrderByDescending(s => s.Score).Take(keep))
                {
                    json.WriteStartObject();
                    json.WriteString("label", score.Label);
                    json.WriteNumber("score", score.Score);
                    json.WriteEndObject();
                }

                json.WriteEndArray();
                if (withVectors)
                {
                    json.WritePropertyName("embedding");
                    JsonLineWriter.WriteVector(json, aspect.Vector.Span);
                }

                json.WriteEndObject();
            }

            json.WriteEndObject();
        }
        else
        {
            JsonLineWriter.WriteErrorProperty(json, result.Error!);
        }

        json.WriteEndObject();
        stdout.EndLine();
    }
}
