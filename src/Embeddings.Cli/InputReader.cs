using System.CommandLine;
using System.CommandLine.Parsing;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace Embeddings.Cli;

/// <summary>Reads the inputs of <c>embed</c>: <c>--text</c>/<c>--image</c> in command-line order, else JSON lines
/// (<c>{"text":...}</c>, <c>{"image":PATH}</c> or a bare JSON string) from stdin.</summary>
internal static class InputReader
{
    /// <summary>The <c>--text</c> and <c>--image</c> values in the order they were given on the command line.</summary>
    public static List<EmbeddingInput> FromArguments(ParseResult parse, Option<string[]> text, Option<string[]> image)
    {
        string[] texts = parse.GetValue(text) ?? [];
        string[] images = parse.GetValue(image) ?? [];
        var ordered = new List<EmbeddingInput>(texts.Length + images.Length);

        // The parsed values lose the interleaving of the two options; the tokens keep it.
        Option? current = null;
        foreach (Token token in parse.Tokens)
        {
            if (token.Type == TokenType.Option)
            {
                current = Matches(text, token.Value) ? text : Matches(image, token.Value) ? image : null;
            }
            else if (token.Type == TokenType.Argument && current is not null)
            {
                ordered.Add(current == text ? Text(token.Value, ordered.Count) : EmbeddingInput.FromImageFile(token.Value));
                current = null;
            }
            else
            {
                current = null;
            }
        }

        if (ordered.Count == texts.Length + images.Length
            && ordered.Where(i => i.Kind == EmbeddingInputKind.Text).Select(i => i.Text).SequenceEqual(texts)
            && ordered.Where(i => i.Kind != EmbeddingInputKind.Text).Select(i => i.FilePath).SequenceEqual(images))
        {
            return ordered;
        }

        // Not expected; texts then images is still a faithful answer to what was asked.
        ordered.Clear();
        ordered.AddRange(texts.Select((t, i) => Text(t, i)));
        ordered.AddRange(images.Select(p => EmbeddingInput.FromImageFile(p)));
        return ordered;
    }

    /// <summary>Reads JSON lines from <paramref name="reader"/>; blank lines are skipped.</summary>
    public static async IAsyncEnumerable<InputItem> FromJsonLines(TextReader reader, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        int lineNumber = 0;
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            yield return ParseLine(line, lineNumber);
        }
    }

    internal static InputItem ParseLine(string line, int lineNumber)
    {
        string name = $"line {lineNumber}";
        try
        {
            using var document = JsonDocument.Parse(line);
            JsonElement root = document.RootElement;
            if (root.ValueKind == JsonValueKind.String)
            {
                return new InputItem(EmbeddingInput.FromText(root.GetString()!, name), null);
            }

            if (root.ValueKind == JsonValueKind.Object)
            {
                bool hasText = root.TryGetProperty("text", out JsonElement text);
                bool hasImage = root.TryGetProperty("image", out JsonElement image);
                if (hasText != hasImage)
                {
                    if (hasText && text.ValueKind == JsonValueKind.String)
                    {
                        return new InputItem(EmbeddingInput.FromText(text.GetString()!, name), null);
                    }

                    if (hasImage && image.ValueKind == JsonValueKind.String && image.GetString() is { Length: > 0 } path)
                    {
                        return new InputItem(EmbeddingInput.FromImageFile(path), null);
                    }
                }
            }

            return new InputItem(null, Invalid(name, "expected {\"text\": STRING}, {\"image\": PATH} or a JSON string."));
        }
        catch (JsonException)
        {
            return new InputItem(null, Invalid(name, "not valid JSON."));
        }
    }

    private static EmbeddingInput Text(string text, int index) => EmbeddingInput.FromText(text, $"input {index + 1}");

    private static bool Matches(Option option, string token) => option.Name == token || option.Aliases.Contains(token);

    private static EmbeddingInputException Invalid(string name, string detail) => new(EmbeddingInputError.Invalid, name, detail);
}
