using System.Diagnostics;
using System.Globalization;
using Embeddings;
using Embeddings.Local;

namespace ImageSearch;

/// <summary>The sample's command line: load a model, index a folder, print a ranking per query.</summary>
internal static class ImageSearchCommand
{
    private const string Usage = """
        Usage: ImageSearch <model> <image folder> [--text "query"]... [--image file]... [--top N]
          model         a SigLIP / SigLIP2 / CLIP model: a local folder in the Hugging Face ONNX layout, or a hub id
                        such as onnx-community/siglip2-base-patch16-224-ONNX (downloaded into the hub cache)
          --text        rank the images by how well they match a description
          --image       rank the images by how similar they are to an example image
          --top         how many results to print per query (default 5)
        """;

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        if (!TryParse(args, out Arguments? parsed, out string? problem))
        {
            await error.WriteLineAsync(problem + Environment.NewLine + Usage);
            return 2;
        }

        try
        {
            var started = Stopwatch.StartNew();
            using LocalOnnxProvider provider = await LocalOnnxProvider.CreateAsync(parsed.Model, cancellationToken: cancellationToken);
            ImageIndex index = await ImageIndex.BuildAsync(provider, parsed.Folder, cancellationToken);

            EmbeddingProviderMetadata model = provider.Metadata;
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"Indexed {index.Count} images with {model.ModelId} ({model.Dimensions} dimensions) in {started.Elapsed.TotalSeconds:0.0} s."));
            foreach ((string path, string reason) in index.Skipped)
            {
                await output.WriteLineAsync($"Skipped {Path.GetFileName(path)}: {reason}");
            }

            foreach (Query query in parsed.Queries)
            {
                ReadOnlyMemory<float> vector = query.IsImage
                    ? await provider.EmbedImageFileAsync(query.Value, cancellationToken: cancellationToken)
                    : await provider.EmbedTextAsync(query.Value, cancellationToken: cancellationToken);

                await output.WriteLineAsync();
                await output.WriteLineAsync(query.IsImage ? $"Image {Path.GetFileName(query.Value)}:" : $"Text \"{query.Value}\":");
                int rank = 0;
                foreach (SearchHit hit in index.Search(vector, parsed.Top))
                {
                    await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                        $"{++rank,4}. {hit.Score,7:0.0000}  {Path.GetFileName(hit.Path)}"));
                }
            }

            return 0;
        }
        catch (EmbeddingException e)
        {
            // A missing model, ONNX Runtime or libvips, or a query image that cannot be read: the message says which.
            await error.WriteLineAsync(e.Message);
            return 1;
        }
    }

    private static bool TryParse(string[] args, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Arguments? parsed, out string? problem)
    {
        parsed = null;
        var positional = new List<string>();
        var queries = new List<Query>();
        int top = 5;
        for (int i = 0; i < args.Length; i++)
        {
            string arg = args[i];
            if (arg is "--text" or "--image" or "--top")
            {
                if (i + 1 == args.Length)
                {
                    problem = $"{arg} needs a value.";
                    return false;
                }

                string value = args[++i];
                if (arg == "--top")
                {
                    if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out top) || top < 1)
                    {
                        problem = "--top must be a positive whole number.";
                        return false;
                    }
                }
                else
                {
                    queries.Add(new Query(value, IsImage: arg == "--image"));
                }
            }
            else
            {
                positional.Add(arg);
            }
        }

        if (positional.Count != 2)
        {
            problem = "Give a model and an image folder.";
            return false;
        }

        if (!Directory.Exists(positional[1]))
        {
            problem = $"The image folder '{positional[1]}' does not exist.";
            return false;
        }

        if (queries.Count == 0)
        {
            problem = "Give at least one --text or --image query.";
            return false;
        }

        problem = null;
        parsed = new Arguments(positional[0], positional[1], queries, top);
        return true;
    }

    private sealed record Arguments(string Model, string Folder, IReadOnlyList<Query> Queries, int Top);

    private sealed record Query(string Value, bool IsImage);
}
