using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;

namespace Embeddings.Tokenization;

/// <summary>
/// Reads a tokenizer.json in one pass with <see cref="Utf8JsonReader"/>. The large parts (the model's vocabulary
/// and merges) are parsed where they stand, the merges resolved straight from UTF-8; the small sections go through
/// <see cref="JsonDocument"/>. Malformed input throws <see cref="FormatException"/>, features this library does not
/// implement throw <see cref="NotSupportedException"/>; both name the feature.
/// </summary>
internal static class TokenizerJsonReader
{
    private static readonly JsonReaderOptions s_options = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true, MaxDepth = 256 };

    public static TokenizerDefinition Read(byte[] json)
    {
        ReadOnlyMemory<byte> utf8 = json;
        if (json.Length >= 3 && json[0] == 0xEF && json[1] == 0xBB && json[2] == 0xBF)
        {
            utf8 = utf8[3..];
        }

        // One pass over the file: the model is parsed where it stands, the other sections are recorded.
        var reader = new Utf8JsonReader(utf8.Span, s_options);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new FormatException("expected a JSON object");
        }

        var sections = new Dictionary<string, ReadOnlyMemory<byte>>(StringComparer.Ordinal);
        ModelParts? parts = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            string name = reader.GetString()!;
            reader.Read();
            if (name == "model")
            {
                parts = ReadModelParts(ref reader, utf8);
                continue;
            }

            int start = (int)reader.TokenStartIndex;
            reader.Skip();
            sections[name] = utf8[start..(int)reader.BytesConsumed];
        }

        TokenizerModel tokenizerModel = BuildModel(parts ?? throw new FormatException("tokenizer.json has no \"model\""));
        Normalizer? normalizer = WithElement(sections, "normalizer", ComponentReader.Normalizer);
        IReadOnlyList<AddedToken> added = WithElement(sections, "added_tokens", ComponentReader.AddedTokens) ?? [];
        PreTokenizer? preTokenizer = WithElement(sections, "pre_tokenizer", ComponentReader.PreTokenizer);
        PostProcessor? postProcessor = WithElement(sections, "post_processor", e => ComponentReader.PostProcessor(e, tokenizerModel, added));
        string? unsupportedDecoder = null;
        TokenDecoder? decoder = WithElement(sections, "decoder", e =>
        {
            try
            {
                return ComponentReader.Decoder(e);
            }
            catch (NotSupportedException ex)
            {
                unsupportedDecoder = ex.Message;
                return null;
            }
        });

        return new TokenizerDefinition
        {
            Model = tokenizerModel,
            Normalizer = normalizer,
            PreTokenizer = preTokenizer,
            PostProcessor = postProcessor,
            Decoder = decoder,
            UnsupportedDecoder = unsupportedDecoder,
            AddedTokens = added,
            Padding = WithElement(sections, "padding", ComponentReader.Padding),
            TruncationDirection = WithElement(sections, "truncation", ComponentReader.TruncationDirection),
        };
    }

    private static T? WithElement<T>(Dictionary<string, ReadOnlyMemory<byte>> sections, string name, Func<JsonElement, T?> read)
    {
        if (!sections.TryGetValue(name, out ReadOnlyMemory<byte> bytes))
        {
            return default;
        }

        using JsonDocument doc = JsonDocument.Parse(bytes, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip, MaxDepth = 256 });
        return doc.RootElement.ValueKind == JsonValueKind.Null ? default : read(doc.RootElement);
    }

    // The model object: scalar fields are recorded; the vocabulary and the merges, which make up nearly all of a
    // large file, are parsed as they are met (the merges straight from UTF-8 when the vocabulary came first).
    private static ModelParts ReadModelParts(ref Utf8JsonReader reader, ReadOnlyMemory<byte> memory)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new FormatException("\"model\" is not an object");
        }

        var parts = new ModelParts();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            string name = reader.GetString()!;
            reader.Read();
            int start = (int)reader.TokenStartIndex;
            switch (name)
            {
                case "vocab" when reader.TokenType == JsonTokenType.StartObject:
                    parts.Vocab = ReadVocabTable(ref reader);
                    break;

                case "vocab" when reader.TokenType == JsonTokenType.StartArray:
                    parts.UnigramVocab = ReadUnigramVocab(ref reader);
                    break;
                case "merges" when parts.Vocab is not null && reader.TokenType == JsonTokenType.StartArray:
                {
                    // The merges are resolved on another core while this reader validates them and moves on.
                    Utf8TokenTable vocab = parts.Vocab;
                    string? prefix = String(parts.Fields, "continuing_subword_prefix");
                    parts.MergesPrefix = prefix;
                    parts.MergesTask = Task.Run(() => MergesScanner.Scan(memory, start, vocab, prefix));
                    reader.Skip();
                    parts.MergesRange = memory[start..(int)reader.BytesConsumed];
                    break;
                }

                case "merges":
                    reader.Skip();
                    parts.MergesRange = memory[start..(int)reader.BytesConsumed];
                    break;
                default:
                    reader.Skip();
                    parts.Fields[name] = memory[start..(int)reader.BytesConsumed];
                    break;
            }
        }

        return parts;
    }

    private static TokenizerModel BuildModel(ModelParts parts)
    {
        Dictionary<string, ReadOnlyMemory<byte>> fields = parts.Fields;
        string? type = String(fields, "type");
        if (type is null)
        {
            // Untagged (older files): infer the model from its fields.
            type = parts.MergesRange is not null ? "BPE"
                : parts.UnigramVocab is not null ? "Unigram"
                : fields.ContainsKey("max_input_chars_per_word") || fields.ContainsKey("continuing_subword_prefix") ? "WordPiece"
                : parts.Vocab is not null ? "WordLevel"
                : throw new FormatException("the model type cannot be determined");
        }

        if (type is "BPE" or "WordPiece" or "WordLevel" && parts.Vocab is null)
        {
            throw new FormatException($"the {type} model has no vocab object");
        }

        switch (type)
        {
            case "BPE":
            {
                if (fields.TryGetValue("dropout", out ReadOnlyMemory<byte> dropout) && FirstToken(dropout.Span) != JsonTokenType.Null
                    && Number(fields, "dropout") is not 0.0)
                {
                    throw new NotSupportedException("BPE dropout (only \"dropout\": null is supported)");
                }

                string? prefix = String(fields, "continuing_subword_prefix");
                PairMap merges = parts.MergesTask is not null && parts.MergesPrefix == prefix ? parts.MergesTask.GetAwaiter().GetResult()
                    : parts.MergesRange is { } range ? MergesScanner.Scan(range, 0, parts.Vocab!, prefix)
                    : new PairMap(0);
                return new BpeModel(parts.Vocabulary(), merges, String(fields, "unk_token"), prefix, String(fields, "end_of_word_suffix"),
                    Bool(fields, "fuse_unk") ?? false, Bool(fields, "byte_fallback") ?? false, Bool(fields, "ignore_merges") ?? false);
            }

            case "WordPiece":
                return new WordPieceModel(parts.Vocabulary(), String(fields, "unk_token") ?? "[UNK]",
                    String(fields, "continuing_subword_prefix") ?? "##", (int)(Number(fields, "max_input_chars_per_word") ?? 100));
            case "WordLevel":
                return new WordLevelModel(parts.Vocabulary(), String(fields, "unk_token") ?? "<unk>");
            case "Unigram":
            {
                double? unk = Number(fields, "unk_id");
                return new UnigramModel(parts.UnigramVocab ?? throw new FormatException("the Unigram vocab is not an array of [piece, score]"),
                    unk is null ? null : (int)unk, Bool(fields, "byte_fallback") ?? false);
            }

            default:
                throw new NotSupportedException($"the model type \"{type}\"");
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static Utf8TokenTable ReadVocabTable(ref Utf8JsonReader reader)
    {
        var table = new Utf8TokenTable(1024);
        byte[] buffer = new byte[256];
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            ReadOnlySpan<byte> token = Utf8Value(ref reader, ref buffer);
            reader.Read();
            if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt32(out int id) || id < 0)
            {
                throw new FormatException("a vocab id is not a non-negative integer");
            }

            table.Set(token, id);
        }

        return table;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static List<(string, double)> ReadUnigramVocab(ref Utf8JsonReader reader)
    {
        var vocab = new List<(string, double)>(1024);
        while (reader.Read() && reader.TokenType == JsonTokenType.StartArray)
        {
            reader.Read();
            string piece = reader.TokenType == JsonTokenType.String ? reader.GetString()! : throw new FormatException("a Unigram piece is not a string");
            reader.Read();
            double score = reader.TokenType == JsonTokenType.Number ? reader.GetDouble() : throw new FormatException("a Unigram score is not a number");
            reader.Read();
            if (reader.TokenType != JsonTokenType.EndArray)
            {
                throw new FormatException("a Unigram vocab entry has more than two items");
            }

            vocab.Add((piece, score));
        }

        return vocab;
    }

    // The unescaped UTF-8 of the current string or property name, copied into the buffer.
    private static ReadOnlySpan<byte> Utf8Value(scoped ref Utf8JsonReader reader, scoped ref byte[] buffer)
    {
        if (reader.TokenType is not (JsonTokenType.String or JsonTokenType.PropertyName))
        {
            throw new FormatException("expected a string");
        }

        int max = reader.HasValueSequence ? (int)reader.ValueSequence.Length : reader.ValueSpan.Length;
        if (buffer.Length < max)
        {
            buffer = new byte[max * 2];
        }

        if (!reader.ValueIsEscaped && !reader.HasValueSequence)
        {
            reader.ValueSpan.CopyTo(buffer);
            return buffer.AsSpan(0, max);
        }

        int n = reader.CopyString(buffer);
        return buffer.AsSpan(0, n);
    }

    private static JsonTokenType FirstToken(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, s_options);
        reader.Read();
        return reader.TokenType;
    }

    private static string? String(Dictionary<string, ReadOnlyMemory<byte>> fields, string name)
    {
        if (!fields.TryGetValue(name, out ReadOnlyMemory<byte> bytes))
        {
            return null;
        }

        var reader = new Utf8JsonReader(bytes.Span, s_options);
        reader.Read();
        return reader.TokenType switch
        {
            JsonTokenType.String => reader.GetString(),
            JsonTokenType.Null => null,
            _ => throw new FormatException($"\"{name}\" is not a string"),
        };
    }

    private static bool? Bool(Dictionary<string, ReadOnlyMemory<byte>> fields, string name)
    {
        if (!fields.TryGetValue(name, out ReadOnlyMemory<byte> bytes))
        {
            return null;
        }

        var reader = new Utf8JsonReader(bytes.Span, s_options);
        reader.Read();
        return reader.TokenType switch
        {
            JsonTokenType.True => true,
            JsonTokenType.False => false,
            JsonTokenType.Null => null,
            _ => throw new FormatException($"\"{name}\" is not a boolean"),
        };
    }

    private static double? Number(Dictionary<string, ReadOnlyMemory<byte>> fields, string name)
    {
        if (!fields.TryGetValue(name, out ReadOnlyMemory<byte> bytes))
        {
            return null;
        }

        var reader = new Utf8JsonReader(bytes.Span, s_options);
        reader.Read();
        return reader.TokenType switch
        {
            JsonTokenType.Number => reader.GetDouble(),
            JsonTokenType.Null => null,
            _ => throw new FormatException($"\"{name}\" is not a number"),
        };
    }
}
