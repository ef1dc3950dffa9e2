using System.CommandLine;
using Embeddings.Cli.Output;

namespace Embeddings.Cli.Commands;

/// <summary>
/// <c>embeddings embed</c>: one <c>{"embedding":[...]}</c> or <c>{"error":{"type":...,"message":...}}</c> line per
/// input, in input order; exit code 2 when some inputs failed. With <c>--out FILE.npy</c> the vectors go to a NumPy
/// file instead and each line says which row holds the input's vector (<c>{"row":N}</c>).
/// </summary>
internal static class EmbedCommand
{
    private const int DefaultBatchSize = 64;

    public static readonly string[] Examples =
    [
        "embeddings embed --model ./all-MiniLM-L6-v2 --text \"first sentence\" --text \"second sentence\"",
        "embeddings embed --model ./siglip2 --image cat.jpg --text \"a photo of a cat\"",
        "embeddings embed --model ./embeddinggemma --prompt query --dimensions 256 --text \"which planet is red?\"",
        "printf '{\"text\":\"hello\"}\\n{\"image\":\"cat.jpg\"}\\n' | embeddings embed --model ./siglip2",
        "embeddings embed --model ./siglip2 --out vectors.npy --image a.jpg --image b.jpg",
        "VISUAL_EMBEDDING_MODE=remote HUGGINGFACE_API_KEY=... embeddings embed --model google/siglip2-so400m-patch14-384 --image a.jpg",
    ];

    public static Command Create()
    {
        var command = new Command("embed", "Embed texts and images: one JSON line per input ({\"embedding\":[...]} or {\"error\":{...}}), in order. "
            + "Inputs come from --text/--image, else from JSON lines on stdin ({\"text\":...} or {\"image\":PATH}). "
            + "VISUAL_EMBEDDING_MODE, HUGGINGFACE_* and HF_* select remote or local inference as AddEmbeddings() does.");
        CommonOptions common = CommonOptions.AddTo(command);
        var prompt = new Option<string?>("--prompt") { Description = "Prompt name from the model's config_sentence_transformers.json (query, document, ...)", HelpName = "NAME" };
        var dimensions = new Option<int?>("--dimensions") { Description = "Truncate vectors to N dimensions (Matryoshka), then normalize", HelpName = "N" };
        dimensions.AtLeastOne();
        var noNormalize = new Option<bool>("--no-normalize") { Description = "Return vectors as the model makes them, without L2 normalization" };
        var text = new Option<string[]>("--text", "-t") { Description = "A text to embed (repeatable)", HelpName = "TEXT" };
        var image = new Option<string[]>("--image", "-i") { Description = "An image file to embed (repeatable)", HelpName = "PATH" };
        var output = new Option<string?>("--out", "-o") { Description = "Write the vectors to a .npy file (float32, one row per succeeded input); stdout then gets {\"row\":N} lines", HelpName = "FILE.npy" };
        var batch = new Option<int>("--batch-size") { Description = "Inputs per provider call", DefaultValueFactory = _ => DefaultBatchSize, HelpName = "N" };
        batch.AtLeastOne();
        command.Options.Add(prompt);
        command.Options.Add(dimensions);
        command.Options.Add(noNormalize);
        command.Options.Add(text);
        command.Options.Add(image);
        command.Options.Add(output);
        command.Options.Add(batch);

        command.SetAction(async (parse, cancellationToken) =>
        {
            List<EmbeddingInput> arguments = InputReader.FromArguments(parse, text, image);
            if (arguments.Count == 0 && !Console.IsInputRedirected)
            {
                throw new CliUsageException("Nothing to embed: give --text or --image, or pipe JSON lines ({\"text\":...} or {\"image\":PATH}) to stdin.");
            }

            var request = new EmbeddingRequestOptions
            {
                PromptName = parse.GetValue(prompt),
                Dimensions = parse.GetValue(dimensions),
                Normalize = parse.GetValue(noNormalize) ? false : null,
            };
            await using EmbeddingHost host = await EmbeddingHost.StartAsync(
                parse.GetValue(common.Model)!, common.LocalOptions(parse), parse.GetValue(CommonOptions.Verbose), cancellationToken).ConfigureAwait(false);
            IAsyncEnumerable<InputItem> inputs = arguments.Count > 0
                ? arguments.Select(i => new InputItem(i, null)).ToAsyncEnumerable()
                : InputReader.FromJsonLines(new StreamReader(Console.OpenStandardInput()), cancellationToken);
            using Progress progress = Progress.Start("embedding", arguments.Count > 0 ? arguments.Count : null, common.ProgressEnabled(parse));
            return await RunAsync(host.Provider, inputs, request, parse.GetValue(output), parse.GetValue(batch), progress, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    internal static async Task<int> RunAsync(
        IEmbeddingProvider provider, IAsyncEnumerable<InputItem> inputs, EmbeddingRequestOptions request, string? npyPath, int batchSize,
        Progress progress, CancellationToken cancellationToken)
    {
        using var stdout = new JsonLineWriter(new BufferedStream(Console.OpenStandardOutput(), 1 << 16));
        List<float[]>? rows = npyPath is null ? null : [];
        bool failed = false;
        var chunk = new List<InputItem>(batchSize);

        async Task FlushChunkAsync()
        {
            EmbeddingInput[] valid = [.. chunk.Where(c => c.Input is not null).Select(c => c.Input!)];
            IReadOnlyList<EmbeddingResult> results = valid.Length == 0 ? [] : await provider.EmbedAsync(valid, request, cancellationToken).ConfigureAwait(false);
            int next = 0;
            foreach (InputItem item in chunk)
            {
                EmbeddingResult? result = item.Input is null ? null : results[next++];
                ErrorKinds.ThrowIfNotAboutTheInput(result?.Error);
                if (result is { Embedding: { } embedding })
                {
                    if (rows is null)
                    {
                        stdout.WriteEmbedding(embedding.Vector.Span);
                    }
                    else
                    {
                        stdout.Json.WriteStartObject();
                        stdout.Json.WriteNumber("row", rows.Count);
                        stdout.Json.WriteEndObject();
                        stdout.EndLine();
                        rows.Add(embedding.Vector.ToArray());
                    }
                }
                else
                {
                    failed = true;
                    stdout.WriteError((Exception?)result?.Error ?? item.Error!);
                }
            }

            progress.Advance(chunk.Count);
            chunk.Clear();
            stdout.Flush();
        }

        await foreach (InputItem item in inputs.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            chunk.Add(item);
            if (chunk.Count == batchSize)
            {
                await FlushChunkAsync().ConfigureAwait(false);
            }
        }

        if (chunk.Count > 0)
        {
            await FlushChunkAsync().ConfigureAwait(false);
        }

        if (rows is not null)
        {
            NpyWriter.Write(npyPath!, rows, rows.Count > 0 ? rows[0].Length : request.Dimensions ?? provider.Metadata.Dimensions);
        }

        return failed ? ExitCodes.SomeInputsFailed : ExitCodes.Ok;
    }
}
