using System.Text.Json;

namespace Embeddings.Tokenization;

/// <summary>The settings transformers reads from tokenizer_config.json (and special_tokens_map.json).</summary>
internal sealed class TokenizerConfig
{
    // transformers' VERY_LARGE_INTEGER stands for "no limit"; anything this large is treated as unset.
    private const double NoLimit = 1e15;

    public bool? AddBosToken { get; private set; }

    public bool? AddEosToken { get; private set; }

    public string? BosToken { get; private set; }

    public string? EosToken { get; private set; }

    public string? PadToken { get; private set; }

    public int? ModelMaxLength { get; private set; }

    public PaddingSide? PaddingSide { get; private set; }

    public TruncationSide? TruncationSide { get; private set; }

    public string? TokenizerClass { get; private set; }

    public static TokenizerConfig Empty { get; } = new();

    /// <summary>Reads tokenizer_config.json, then lets special_tokens_map.json override the special tokens, as
    /// transformers' <c>from_pretrained</c> does.</summary>
    public static TokenizerConfig Read(byte[]? configJson, byte[]? specialTokensMapJson)
    {
        var config = new TokenizerConfig();
        if (configJson is not null)
        {
            using JsonDocument doc = JsonDocument.Parse(configJson, new JsonDocumentOptions { AllowTrailingCommas = true });
            JsonElement root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException("tokenizer_config.json is not a JSON object");
            }

            config.AddBosToken = Bool(root, "add_bos_token");
            config.AddEosToken = Bool(root, "add_eos_token");
            config.BosToken = TokenContent(root, "bos_token");
            config.EosToken = TokenContent(root, "eos_token");
            config.PadToken = TokenContent(root, "pad_token");
            if (root.TryGetProperty("model_max_length", out JsonElement max) && max.ValueKind == JsonValueKind.Number
                && max.TryGetDouble(out double m) && m > 0 && m < NoLimit)
            {
                config.ModelMaxLength = (int)Math.Min(m, int.MaxValue);
            }

            config.PaddingSide = Side(root, "padding_side") is { } p ? (p ? Tokenization.PaddingSide.Left : Tokenization.PaddingSide.Right) : null;
            config.TruncationSide = Side(root, "truncation_side") is { } t ? (t ? Tokenization.TruncationSide.Left : Tokenization.TruncationSide.Right) : null;
            if (root.TryGetProperty("tokenizer_class", out JsonElement cls) && cls.ValueKind == JsonValueKind.String)
            {
                config.TokenizerClass = cls.GetString();
            }
        }

        if (specialTokensMapJson is not null)
        {
            using JsonDocument doc = JsonDocument.Parse(specialTokensMapJson, new JsonDocumentOptions { AllowTrailingCommas = true });
            JsonElement root = doc.RootElement;
            if (root.ValueKind == JsonValueKind.Object)
            {
                config.BosToken = TokenContent(root, "bos_token") ?? config.BosToken;
                config.EosToken = TokenContent(root, "eos_token") ?? config.EosToken;
                config.PadToken = TokenContent(root, "pad_token") ?? config.PadToken;
            }
        }

        return config;
    }

    private static bool? Bool(JsonElement root, string name) =>
        root.TryGetProperty(name, out JsonElement e) && e.ValueKind is JsonValueKind.True or JsonValueKind.False ? e.GetBoolean() : null;

    // A special token is written either as its content or as an AddedToken object with "content".
    private static string? TokenContent(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out JsonElement e))
        {
            return null;
        }

        return e.ValueKind switch
        {
            JsonValueKind.String => e.GetString(),
            JsonValueKind.Object when e.TryGetProperty("content", out JsonElement c) && c.ValueKind == JsonValueKind.String => c.GetString(),
            _ => null,
        };
    }

    // true = left, false = right, null = absent.
    private static bool? Side(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out JsonElement e) || e.ValueKind != JsonValueKind.String)
        {
            return null;
        }

        return e.GetString() switch
        {
            "left" => true,
            "right" => false,
            var other => throw new FormatException($"{name} must be \"left\" or \"right\", not \"{other}\""),
        };
    }
}
