using System.Text.Json;

namespace Embeddings.Models;

/// <summary>A JSON object read from a model file, with typed accessors whose errors name the file and the key.</summary>
internal sealed class JsonConfig
{
    private static readonly JsonDocumentOptions s_options = new() { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip };

    private readonly JsonElement _root;
    private readonly string _model;

    private JsonConfig(JsonElement root, string model, string description)
    {
        _root = root;
        _model = model;
        Description = description;
    }

    /// <summary>Gets the file's name for messages, for example <c>'1_Pooling/config.json' in folder '...'</c>.</summary>
    public string Description { get; }

    /// <summary>Gets the raw object.</summary>
    public JsonElement Root => _root;

    /// <summary>Parses a file that must hold a JSON object.</summary>
    /// <exception cref="EmbeddingModelException">The file is not valid JSON or not an object.</exception>
    public static JsonConfig Parse(string localPath, string model, string description)
    {
        try
        {
            using JsonDocument document = JsonDocument.Parse(File.ReadAllBytes(localPath), s_options);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new EmbeddingModelException(model, $"{Capitalize(description)} is not a JSON object.");
            }

            return new JsonConfig(document.RootElement.Clone(), model, description);
        }
        catch (JsonException ex)
        {
            throw new EmbeddingModelException(model, $"{Capitalize(description)} is not valid JSON: {ex.Message}", ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new EmbeddingModelException(model, $"{Capitalize(description)} could not be read: {ex.Message}", ex);
        }
    }

    /// <summary>Parses a file that must hold a JSON array of objects (<c>modules.json</c>).</summary>
    /// <exception cref="EmbeddingModelException">The file is not valid JSON or not an array of objects.</exception>
    public static IReadOnlyList<JsonConfig> ParseArray(string localPath, string model, string description)
    {
        try
        {
            using JsonDocument document = JsonDocument.Parse(File.ReadAllBytes(localPath), s_options);
            if (document.RootElement.ValueKind != JsonValueKind.Array
                || document.RootElement.EnumerateArray().Any(e => e.ValueKind != JsonValueKind.Object))
            {
                throw new EmbeddingModelException(model, $"{Capitalize(description)} is not a JSON array of objects.");
            }

            return [.. document.RootElement.EnumerateArray().Select((e, i) => new JsonConfig(e.Clone(), model, $"item {i} of {description}"))];
        }
        catch (JsonException ex)
        {
            throw new EmbeddingModelException(model, $"{Capitalize(description)} is not valid JSON: {ex.Message}", ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new EmbeddingModelException(model, $"{Capitalize(description)} could not be read: {ex.Message}", ex);
        }
    }

    /// <summary>Wraps an element (a nested object, or an array item) under the same file name.</summary>
    public JsonConfig Nested(JsonElement element, string key) => new(element, _model, $"'{key}' of {Description}");

    public bool Has(string key) => _root.TryGetProperty(key, out JsonElement value) && value.ValueKind != JsonValueKind.Null;

    public string? String(string key) => Get(key, JsonValueKind.String, "a string") is { } v ? v.GetString() : null;

    public bool? Bool(string key)
    {
        if (!_root.TryGetProperty(key, out JsonElement value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw WrongType(key, "true or false"),
        };
    }

    public int? Int(string key)
    {
        if (Get(key, JsonValueKind.Number, "a whole number") is not { } value)
        {
            return null;
        }

        return value.TryGetInt32(out int result) ? result
            : value.TryGetDouble(out double d) && d > int.MaxValue ? int.MaxValue // model_max_length is often a huge sentinel
            : throw WrongType(key, "a whole number");
    }

    public JsonConfig? Object(string key) => Get(key, JsonValueKind.Object, "an object") is { } v ? Nested(v, key) : null;

    public JsonElement? Array(string key) => Get(key, JsonValueKind.Array, "an array");

    /// <summary>Makes an error about this file.</summary>
    public EmbeddingModelException Error(string detail) => new(_model, $"{Capitalize(description: Description)}: {detail}");

    private JsonElement? Get(string key, JsonValueKind kind, string expected)
    {
        if (!_root.TryGetProperty(key, out JsonElement value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == kind ? value : throw WrongType(key, expected);
    }

    private EmbeddingModelException WrongType(string key, string expected) => Error($"'{key}' must be {expected}.");

    private static string Capitalize(string description) =>
        description.Length == 0 ? description : char.ToUpperInvariant(description[0]) + description[1..];
}
