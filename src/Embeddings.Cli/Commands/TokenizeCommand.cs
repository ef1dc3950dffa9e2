using System.CommandLine;
using System.Text.Json;
using Embeddings.Cli.Output;
using Embeddings.Tokenization;

namespace Embeddings.Cli.Commands;

/// <summary>
/// <c>embeddings tokenize</c>: one JSON string per line on stdin, one <c>{"ids":[...],"attention_mask":[...]}</c>
/// per line on stdout, exactly what <see cref="Tokenizer"/> returns (the parity hook for tokenizers).
/// </summary>
internal static class TokenizeCommand
{
    public static readonly string[] Examples =
    [
        "echo '\"Hello, world!\"' | embeddings tokenize --tokenizer ./all-MiniLM-L6-v2",
        "embeddings tokenize --tokenizer ./siglip2 --max-length 64 --padding max_length --truncation < texts.jsonl",
    ];

    public static Command Create()
    {
        var tokenizer = new Option<string>("--tokenizer")
        {
            Description = "Folder with tokenizer.json (and tokenizer_config.json), or the tokenizer.json file",
            HelpName = "DIR",
            Required = true,
        };
        var maxLength = new Option<int?>("--max-length") { Description = "Maximum length in tokens, special tokens included", HelpName = "N" };
        maxLength.AtLeastOne();
        var padding = new Option<string?>("--padding")
        {
            Description = "Pad to max_length (the maximum length), or to the longest line of the input (longest: reads all of stdin first)",
            HelpName = "max_length|longest",
        };
        padding.AcceptOnlyFromAmong("max_length", "longest");
        var truncation = new Option<bool>("--truncation") { Description = "Truncate to the maximum length (as transformers' truncation=True)" };
        var noSpecial = new Option<bool>("--no-special-tokens") { Description = "Do not add the special tokens (add_special_tokens=False)" };

        var command = new Command("tokenize", "Tokenize JSON string lines from stdin into {\"ids\",\"attention_mask\"} lines (the tokenizer parity hook)")
        {
            tokenizer, maxLength, padding, truncation, noSpecial,
        };
        command.SetAction((parse, cancellationToken) =>
        {
            var options = new EncodeOptions
            {
                MaxLength = parse.GetValue(maxLength),
                Padding = parse.GetValue(padding) switch
                {
                    "max_length" => PaddingMode.MaxLength,
                    "longest" => PaddingMode.Longest,
                    _ => PaddingMode.None,
                },
                Truncation = parse.GetValue(truncation) ? true : null,
                AddSpecialTokens = !parse.GetValue(noSpecial),
            };
            return RunAsync(parse.GetValue(tokenizer)!, options, cancellationToken);
        });
        return command;
    }

    private static async Task<int> RunAsync(string path, EncodeOptions options, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(path) && !File.Exists(path))
        {
            throw new CliUsageException($"The tokenizer '{path}' does not exist.");
        }

        Tokenizer tokenizer = await Tokenizer.CreateAsync(path, cancellationToken).ConfigureAwait(false);
        using var output = new JsonLineWriter(new BufferedStream(Console.OpenStandardOutput(), 1 << 16));
        using var input = new StreamReader(Console.OpenStandardInput());
        bool failed = false;

        // Longest padding depends on every line, so it reads them all; otherwise each line is encoded alone, as the
        // Rust library's encode() does, and written as it comes.
        var pending = new List<(int Line, string? Text, Exception? Error)>();
        int lineNumber = 0;
        while (await input.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            lineNumber++;
            (string? text, Exception? error) = ParseLine(line, lineNumber);
            if (options.Padding == PaddingMode.Longest)
            {
                pending.Add((lineNumber, text, error));
                continue;
            }

            failed |= Write(output, text is null ? null : Encode(tokenizer, text, options, lineNumber, ref error), error);
            if (!Console.IsInputRedirected)
            {
                output.Flush();
            }
        }

        if (pending.Count > 0)
        {
            string[] texts = [.. pending.Where(p => p.Text is not null).Select(p => p.Text!)];
            TokenizedBatch batch = tokenizer.EncodeBatch(texts, options);
            int next = 0;
            foreach ((int _, string? text, Exception? error) in pending)
            {
                failed |= Write(output, text is null ? null : batch.Items[next++], error);
            }
        }

        return failed ? ExitCodes.SomeInputsFailed : ExitCodes.Ok;
    }

    private static (string? Text, Exception? Error) ParseLine(string line, int lineNumber)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            return document.RootElement.ValueKind == JsonValueKind.String
                ? (document.RootElement.GetString(), null)
                : (null, new EmbeddingInputException(EmbeddingInputError.Invalid, $"line {lineNumber}", "expected a JSON string."));
        }
        catch (JsonException)
        {
            return (null, new EmbeddingInputException(EmbeddingInputError.Invalid, $"line {lineNumber}", "not valid JSON (one JSON string per line is expected)."));
        }
    }

    private static TokenizedText? Encode(Tokenizer tokenizer, string text, EncodeOptions options, int lineNumber, ref Exception? error)
    {
        try
        {
            return tokenizer.Encode(text, options);
        }
        catch (ArgumentException ex)
        {
            error = new EmbeddingInputException(EmbeddingInputError.Invalid, $"line {lineNumber}", ex.Message);
            return null;
        }
    }

    /// <summary>Writes one line; returns whether it was an error.</summary>
    private static bool Write(JsonLineWriter output, TokenizedText? tokens, Exception? error)
    {
        if (tokens is null)
        {
            output.WriteError(error!);
            return true;
        }

        Utf8JsonWriter json = output.Json;
        json.WriteStartObject();
        json.WriteStartArray("ids");
        foreach (int id in tokens.Ids.Span)
        {
            json.WriteNumberValue(id);
        }

        json.WriteEndArray();
        json.WriteStartArray("attention_mask");
        foreach (int m in tokens.AttentionMask.Span)
        {
            json.WriteNumberValue(m);
        }

        json.WriteEndArray();
        json.WriteEndObject();
        output.EndLine();
        return false;
    }
}
