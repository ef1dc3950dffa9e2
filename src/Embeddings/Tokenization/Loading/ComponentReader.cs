using System.Text;
using System.Text.Json;

namespace Embeddings.Tokenization;

/// <summary>Builds normalizers, pre-tokenizers, post-processors and decoders from their tokenizer.json objects.</summary>
internal static class ComponentReader
{
    public static Normalizer? Normalizer(JsonElement e)
    {
        string type = Type(e, "normalizer");
        switch (type)
        {
            case "Sequence":
                return new SequenceNormalizer([.. Array(e, "normalizers").Select(Normalizer).OfType<Normalizer>()]);
            case "NFC":
                return new UnicodeFormNormalizer(NormalizationForm.FormC);
            case "NFD":
                return new UnicodeFormNormalizer(NormalizationForm.FormD);
            case "NFKC":
                return new UnicodeFormNormalizer(NormalizationForm.FormKC);
            case "NFKD":
                return new UnicodeFormNormalizer(NormalizationForm.FormKD);
            case "Lowercase":
                return LowercaseNormalizer.Instance;
            case "StripAccents":
                return StripAccentsNormalizer.Instance;
            case "Strip":
                return new StripNormalizer(Bool(e, "strip_left") ?? true, Bool(e, "strip_right") ?? true);
            case "Replace":
                return new ReplaceNormalizer(Pattern(e), String(e, "content") ?? throw Missing("Replace", "content"));
            case "Prepend":
                return new PrependNormalizer(String(e, "prepend") ?? throw Missing("Prepend", "prepend"));
            case "BertNormalizer":
                return new BertNormalizer(Bool(e, "clean_text") ?? true, Bool(e, "handle_chinese_chars") ?? true,
                    Bool(e, "strip_accents"), Bool(e, "lowercase") ?? true);
            case "Precompiled":
            {
                string charsmap = String(e, "precompiled_charsmap") ?? throw new NotSupportedException("a Precompiled normalizer without precompiled_charsmap");
                return new PrecompiledNormalizer(Convert.FromBase64String(charsmap));
            }

            case "ByteLevel":
                return ByteLevelNormalizer.Instance;
            default:
                throw new NotSupportedException($"the normalizer type \"{type}\"");
        }
    }

    public static PreTokenizer? PreTokenizer(JsonElement e)
    {
        string type = Type(e, "pre_tokenizer");
        switch (type)
        {
            case "Sequence":
                return new SequencePreTokenizer([.. Array(e, "pretokenizers").Select(PreTokenizer).OfType<PreTokenizer>()]);
            case "Split":
                return new PatternPreTokenizer(Pattern(e), Behavior(e, "behavior") ?? throw Missing("Split", "behavior"), Bool(e, "invert") ?? false);
            case "Whitespace":
                return new PatternPreTokenizer(WordPattern.Instance, SplitBehavior.Removed, true);
            case "WhitespaceSplit":
                return new PatternPreTokenizer(WhitespaceCharPattern.Instance, SplitBehavior.Removed, false);
            case "BertPreTokenizer":
                return BertPreTokenizer.Instance;
            case "Punctuation":
                return new PatternPreTokenizer(BertPunctuationPattern.Instance, Behavior(e, "behavior") ?? SplitBehavior.Isolated, false);
            case "Digits":
                return new PatternPreTokenizer(NumericCharPattern.Instance,
                    Bool(e, "individual_digits") == true ? SplitBehavior.Isolated : SplitBehavior.Contiguous, false);
            case "CharDelimiterSplit":
                return new PatternPreTokenizer(new SingleCharPattern(Char(e, "delimiter") ?? throw Missing("CharDelimiterSplit", "delimiter")),
                    SplitBehavior.Removed, false);
            case "Metaspace":
                return new MetaspacePreTokenizer(Char(e, "replacement") ?? '\u2581', PrependScheme(e), Bool(e, "split") ?? true);
            case "ByteLevel":
                return new ByteLevelPreTokenizer(Bool(e, "add_prefix_space") ?? true, Bool(e, "trim_offsets") ?? true, Bool(e, "use_regex") ?? true);
            default:
                throw new NotSupportedException($"the pre-tokenizer type \"{type}\"");
        }
    }

    public static PostProcessor? PostProcessor(JsonElement e, TokenizerModel model, IReadOnlyList<AddedToken> added)
    {
        string type = Type(e, "post_processor");
        var addedById = new Dictionary<int, string>();
        foreach (AddedToken t in added)
        {
            addedById[t.Id] = t.Content;
        }

        Func<int, string?> tokenText = id => addedById.TryGetValue(id, out string? content) ? content : model.IdToToken(id);
        switch (type)
        {
            case "TemplateProcessing":
                return Template(e);
            case "BertProcessing":
                return new BertProcessing(PairId(e, "sep"), PairId(e, "cls"));
            case "RobertaProcessing":
                return new RobertaProcessing(PairId(e, "sep"), PairId(e, "cls"), Bool(e, "trim_offsets") ?? true, Bool(e, "add_prefix_space") ?? true) { TokenText = tokenText };
            case "ByteLevel":
                return new ByteLevelProcessing(Bool(e, "trim_offsets") ?? true, Bool(e, "add_prefix_space") ?? true) { TokenText = tokenText };
            case "Sequence":
                return new SequenceProcessing([.. Array(e, "processors").Select(p => PostProcessor(p, model, added)).OfType<PostProcessor>()]);
            default:
                throw new NotSupportedException($"the post-processor type \"{type}\"");
        }
    }

    public static TokenDecoder? Decoder(JsonElement e)
    {
        string type = Type(e, "decoder");
        return type switch
        {
            "Sequence" => new SequenceDecoder([.. Array(e, "decoders").Select(Decoder).OfType<TokenDecoder>()]),
            "ByteLevel" => ByteLevelDecoder.Instance,
            "Metaspace" => new MetaspaceDecoder(Char(e, "replacement") ?? '\u2581', PrependScheme(e)),
            "WordPiece" => new WordPieceDecoder(String(e, "prefix") ?? "##", Bool(e, "cleanup") ?? true),
            "BPEDecoder" => new BpeDecoder(String(e, "suffix") ?? "</w>"),
            "ByteFallback" => ByteFallbackDecoder.Instance,
            "Fuse" => FuseDecoder.Instance,
            "Strip" => new StripDecoder(Char(e, "content") ?? ' ', (int)(Number(e, "start") ?? 0), (int)(Number(e, "stop") ?? 0)),
            "Replace" => new ReplaceDecoder(Pattern(e), String(e, "content") ?? throw Missing("Replace", "content")),
            _ => throw new NotSupportedException($"the decoder type \"{type}\""),
        };
    }

    public static IReadOnlyList<AddedToken> AddedTokens(JsonElement e)
    {
        var tokens = new List<AddedToken>();
        foreach (JsonElement t in e.EnumerateArray())
        {
            tokens.Add(new AddedToken(
                (int)(Number(t, "id") ?? throw Missing("added token", "id")),
                String(t, "content") ?? throw Missing("added token", "content"),
                Bool(t, "special") ?? false,
                Bool(t, "normalized") ?? !(Bool(t, "special") ?? false),
                Bool(t, "lstrip") ?? false,
                Bool(t, "rstrip") ?? false,
                Bool(t, "single_word") ?? false));
        }

        return tokens;
    }

    public static StoredPadding? Padding(JsonElement e) =>
        new(String(e, "pad_token"), Number(e, "pad_id") is { } id ? (int)id : null, (int)(Number(e, "pad_type_id") ?? 0),
            String(e, "direction") == "Left" ? PaddingSide.Left : PaddingSide.Right);

    public static TruncationSide? TruncationDirection(JsonElement e) =>
        String(e, "direction") switch { "Left" => TruncationSide.Left, "Right" => TruncationSide.Right, _ => null };

    private static TemplateProcessing Template(JsonElement e)
    {
        var specials = new Dictionary<string, IReadOnlyList<int>>(StringComparer.Ordinal);
        if (e.TryGetProperty("special_tokens", out JsonElement map) && map.ValueKind == JsonValueKind.Object)
        {
            foreach (JsonProperty p in map.EnumerateObject())
            {
                specials[p.Name] = [.. Array(p.Value, "ids").Select(i => i.GetInt32())];
            }
        }

        return new TemplateProcessing(Pieces(e, "single"), Pieces(e, "pair"), specials);
    }

    private static List<TemplatePiece> Pieces(JsonElement e, string name)
    {
        var pieces = new List<TemplatePiece>();
        foreach (JsonElement p in Array(e, name))
        {
            if (p.TryGetProperty("Sequence", out JsonElement seq))
            {
                string id = String(seq, "id") ?? "A";
                pieces.Add(TemplatePiece.Sequence(id == "B" ? 1 : 0, (int)(Number(seq, "type_id") ?? 0)));
            }
            else if (p.TryGetProperty("SpecialToken", out JsonElement tok))
            {
                pieces.Add(TemplatePiece.Token(String(tok, "id") ?? throw Missing("template special token", "id"), (int)(Number(tok, "type_id") ?? 0)));
            }
            else
            {
                throw new FormatException("a template piece is neither a Sequence nor a SpecialToken");
            }
        }

        return pieces;
    }

    private static int PairId(JsonElement e, string name)
    {
        if (!e.TryGetProperty(name, out JsonElement pair) || pair.ValueKind != JsonValueKind.Array || pair.GetArrayLength() != 2)
        {
            throw new FormatException($"\"{name}\" is not a [token, id] pair");
        }

        return pair[1].GetInt32();
    }

    private static MetaspacePrependScheme PrependScheme(JsonElement e)
    {
        string? scheme = String(e, "prepend_scheme");
        if (scheme is null)
        {
            // Older files only have add_prefix_space.
            return Bool(e, "add_prefix_space") == false ? MetaspacePrependScheme.Never : MetaspacePrependScheme.Always;
        }

        return scheme switch
        {
            "always" => MetaspacePrependScheme.Always,
            "first" => MetaspacePrependScheme.First,
            "never" => MetaspacePrependScheme.Never,
            _ => throw new NotSupportedException($"the Metaspace prepend_scheme \"{scheme}\""),
        };
    }

    private static SplitPattern Pattern(JsonElement e)
    {
        if (!e.TryGetProperty("pattern", out JsonElement p) || p.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException("\"pattern\" is missing");
        }

        if (String(p, "String") is { } literal)
        {
            return new LiteralPattern(literal);
        }

        if (String(p, "Regex") is { } regex)
        {
            try
            {
                return new RegexPattern(new OnigRegex(regex));
            }
            catch (ArgumentException ex)
            {
                throw new FormatException($"the regex pattern is invalid: {ex.Message}", ex);
            }
        }

        throw new FormatException("\"pattern\" is neither {\"String\": ...} nor {\"Regex\": ...}");
    }

    private static SplitBehavior? Behavior(JsonElement e, string name) => String(e, name) switch
    {
        null => null,
        "Removed" => SplitBehavior.Removed,
        "Isolated" => SplitBehavior.Isolated,
        "MergedWithPrevious" => SplitBehavior.MergedWithPrevious,
        "MergedWithNext" => SplitBehavior.MergedWithNext,
        "Contiguous" => SplitBehavior.Contiguous,
        var other => throw new NotSupportedException($"the split behavior \"{other}\""),
    };

    private static string Type(JsonElement e, string what) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty("type", out JsonElement t) && t.ValueKind == JsonValueKind.String
            ? t.GetString()!
            : throw new FormatException($"a {what} has no \"type\"");

    private static IEnumerable<JsonElement> Array(JsonElement e, string name) =>
        e.TryGetProperty(name, out JsonElement a) && a.ValueKind == JsonValueKind.Array ? a.EnumerateArray() : [];

    private static string? String(JsonElement e, string name) =>
        e.TryGetProperty(name, out JsonElement v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static bool? Bool(JsonElement e, string name) =>
        e.TryGetProperty(name, out JsonElement v) && v.ValueKind is JsonValueKind.True or JsonValueKind.False ? v.GetBoolean() : null;

    private static double? Number(JsonElement e, string name) =>
        e.TryGetProperty(name, out JsonElement v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : null;

    private static int? Char(JsonElement e, string name)
    {
        string? s = String(e, name);
        if (s is null)
        {
            return null;
        }

        if (s.Length == 0 || UnicodeChars.CountCodePoints(s) != 1)
        {
            throw new FormatException($"\"{name}\" must be a single character");
        }

        return char.ConvertToUtf32(s, 0);
    }

    private static FormatException Missing(string what, string field) => new($"the {what} has no \"{field}\"");
}
