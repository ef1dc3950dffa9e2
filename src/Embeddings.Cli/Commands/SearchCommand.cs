using System.CommandLine;
using System.Globalization;
using System.Numerics.Tensors;
using System.Text;
using Embeddings.Cli.Output;

namespace Embeddings.Cli.Commands;

/// <summary>
/// <c>embeddings search</c>: ranks the images of a folder by cosine similarity to a text query or an example image
/// and prints the top k, best first (<c>SCORE PATH</c> lines, or JSON lines with <c>--json</c>).
/// </summary>
internal static class SearchCommand
{
    private const int ChunkSize = 32;

    private static readonly HashSet<string> s_imageExtensions = new(StringComparer.OrdinalIgnoreCase)
    {
        ".jpg", ".jpeg", ".png", ".webp", ".gif", ".tif", ".tiff", ".bmp", ".heic", ".heif", ".avif", ".jxl", ".jp2",
    };

    public static readonly string[] Examples =
    [
        "embeddings search --model ./siglip2 ./photos --query \"a red bamboo chair\" --top 5",
        "embeddings search --model ./siglip2 ./photos --image ./photos/cat.jpg --json",
    ];

    public static Command Create()
    {
        var command = new Command("search", "Rank the images in a folder by a text query (--query) or an example image (--image); prints SCORE PATH lines, best first");
        CommonOptions common = CommonOptions.AddTo(command);
        var folder = new Argument<string>("FOLDER") { Description = "The folder of images" };
        var query = new Option<string?>("--query", "-q") { Description = "The text to search for", HelpName = "TEXT" };
        var image = new Option<string?>("--image", "-i") { Description = "An example image to search by", HelpName = "PATH" };
        var top = new Option<int>("--top", "-k") { Description = "How many results to print", DefaultValueFactory = _ => 10, HelpName = "K" };
        top.AtLeastOne();
        var recursive = new Option<bool>("--recursive", "-r") { Description = "Include images in sub-folders" };
        var json = new Option<bool>("--json") { Description = "Print {\"path\":...,\"score\":...} JSON lines" };
        command.Arguments.Add(folder);
        command.Options.Add(query);
        command.Options.Add(image);
        command.Options.Add(top);
        command.Options.Add(recursive);
        command.Options.Add(json);
        command.Validators.Add(r =>
        {
            if ((r.GetResult(query) is null) == (r.GetResult(image) is null))
            {
                r.AddError("Give exactly one of --query TEXT or --image PATH.");
            }
        });

        command.SetAction(async (parse, cancellationToken) =>
        {
            string directory = parse.GetValue(folder)!;
            if (!Directory.Exists(directory))
            {
                throw new CliUsageException($"The folder '{directory}' does not exist.");
            }

            string[] files = [.. Directory.EnumerateFiles(directory, "*", parse.GetValue(recursive) ? SearchOption.AllDirectories : SearchOption.TopDirectoryOnly)
                .Where(f => s_imageExtensions.Contains(Path.GetExtension(f)))
                .Order(StringComparer.Ordinal)];
            if (files.Length == 0)
            {
                throw new CliUsageException($"The folder '{directory}' holds no images ({string.Join(", ", s_imageExtensions.Order(StringComparer.Ordinal))}).");
            }

            EmbeddingInput queryInput = parse.GetValue(query) is { } text
                ? EmbeddingInput.FromText(text, "query")
                : EmbeddingInput.FromImageFile(parse.GetValue(image)!);
            await using EmbeddingHost host = await EmbeddingHost.StartAsync(
                parse.GetValue(common.Model)!, common.LocalOptions(parse), parse.GetValue(CommonOptions.Verbose), cancellationToken).ConfigureAwait(false);
            IEmbeddingProvider provider = host.Provider;

            // A failed query fails the command: there is nothing to rank by.
            EmbeddingResult queried = (await provider.EmbedAsync([queryInput], cancellationToken: cancellationToken).ConfigureAwait(false))[0];
            ErrorKinds.ThrowIfNotAboutTheInput(queried.Error);
            float[] target = queried.Vector.ToArray();

            var scored = new List<(string Path, float Score)>(files.Length);
            bool failed = false;
            using (Progress progress = Progress.Start("embedding images", files.Length, common.ProgressEnabled(parse)))
            {
                foreach (string[] chunk in files.Chunk(ChunkSize))
                {
                    IReadOnlyList<EmbeddingResult> results = await provider.EmbedAsync(
                        [.. chunk.Select(f => EmbeddingInput.FromImageFile(f))], cancellationToken: cancellationToken).ConfigureAwait(false);
                    for (int i = 0; i < chunk.Length; i++)
                    {
                        ErrorKinds.ThrowIfNotAboutTheInput(results[i].Error);
                        if (results[i].Embedding is { } embedding)
                        {
                            scored.Add((chunk[i], TensorPrimitives.CosineSimilarity(target, embedding.Vector.Span)));
                        }
                        else
                        {
                            failed = true;
                            await Console.Error.WriteLineAsync($"embeddings: skipped: {CliApplication.OneLine(results[i].Error!.Message)}").ConfigureAwait(false);
                        }
                    }

                    progress.Advance(chunk.Length);
                }
            }

            // Best first; ties in path order, so the output is stable.
            scored.Sort((a, b) => b.Score != a.Score ? b.Score.CompareTo(a.Score) : string.CompareOrdinal(a.Path, b.Path));
            IEnumerable<(string Path, float Score)> best = scored.Take(parse.GetValue(top));
            if (parse.GetValue(json))
            {
                using var stdout = new JsonLineWriter(new BufferedStream(Console.OpenStandardOutput(), 1 << 16));
                foreach ((string path, float score) in best)
                {
                    stdout.Json.WriteStartObject();
                    stdout.Json.WriteString("path", path);
                    stdout.Json.WriteNumber("score", score);
                    stdout.Json.WriteEndObject();
                    stdout.EndLine();
                }
            }
            else
            {
                using var stdout = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false), 1 << 16);
                foreach ((string path, float score) in best)
                {
                    await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{score:0.000000}  {path}")).ConfigureAwait(false);
                }
            }

            return failed ? ExitCodes.SomeInputsFailed : ExitCodes.Ok;
        });
        return command;
    }
}
