using System.Text.Json;

namespace Embeddings.Tokenization;

/// <summary>
/// Reads a tokenizer.json. The large parts (the model's vocabulary and merges) are streamed with
/// <see cref="Utf8JsonReader"/> straight into their final structures; the small sections go through
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

        Dictionary<string, ReadOnlyMemory<byte>> sections = Sections(utf8.Span, utf8);
        if (!sections.TryGetValue("model", out ReadOnlyMemory<byte> model))
        {
            throw new FormatException("tokenizer.json has no \"model\"");
        }

        TokenizerModel tokenizerModel = ReadModel(model);
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

    // Records the byte range of each top-level (or model-level) property's value.
    private static Dictionary<string, ReadOnlyMemory<byte>> Sections(ReadOnlySpan<byte> span, ReadOnlyMemory<byte> memory)
    {
        var reader = new Utf8JsonReader(span, s_options);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new FormatException("expected a JSON object");
        }

        var sections = new Dictionary<string, ReadOnlyMemory<byte>>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            string name = reader.GetString()!;
            reader.Read();
            int start = (int)reader.TokenStartIndex;
            reader.Skip();
            int end = (int)reader.BytesConsumed;
            sections[name] = memory[start..end];
        }

        return sections;
    }

    private static TokenizerModel ReadModel(ReadOnlyMemory<byte> model)
    {
        Dictionary<string, ReadOnlyMemory<byte>> fields = Sections(model.Span, model);
        string? type = String(fields, "type");
        if (type is null)
        {
            // Untagged (older files): infer the model from its fields.
            type = fields.ContainsKey("merges") ? "BPE"
                : fields.TryGetValue("vocab", out ReadOnlyMemory<byte> v) && FirstToken(v.Span) == JsonTokenType.StartArray ? "Unigram"
                : fields.ContainsKey("max_input_chars_per_word") || fields.ContainsKey("continuing_subword_prefix") ? "WordPiece"
                : fields.ContainsKey("vocab") ? "WordLevel"
                : throw new FormatException("the model type cannot be determined");
        }

        if (!fields.TryGetValue("vocab", out ReadOnlyMemory<byte> vocabBytes))
        {
            throw new FormatException($"the {type} model has no vocab");
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
                Vocabulary vocab = ReadVocabMap(vocabBytes.Span);
                PairMap merges = fields.TryGetValue("merges", out ReadOnlyMemory<byte> m) ? ReadMerges(m.Span, vocab, prefix) : new PairMap(0);
                return new BpeModel(vocab, merges, String(fields, "unk_token"), prefix, String(fields, "end_of_word_suffix"),
                    Bool(fields, "fuse_unk") ?? false, Bool(fields, "byte_fallback") ?? false, Bool(fields, "ignore_merges") ?? false);
            }

            case "WordPiece":
                return new WordPieceModel(ReadVocabMap(vocabBytes.Span), String(fields, "unk_token") ?? "[UNK]",
                    String(fields, "continuing_subword_prefix") ?? "##", (int)(Number(fields, "max_input_chars_per_word") ?? 100));
            case "WordLevel":
                return new WordLevelModel(ReadVocabMap(vocabBytes.Span), String(fields, "unk_token") ?? "<unk>");
            case "Unigram":
            {
                double? unk = Number(fields, "unk_id");
                return new UnigramModel(ReadUnigramVocab(vocabBytes.Span), unk is null ? null : (int)unk, Bool(fields, "byte_fallback") ?? false);
            }

            default:
                throw new NotSupportedException($"the model type \"{type}\"");
        }
    }

    private static Vocabulary ReadVocabMap(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, s_options);
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new FormatException("the vocab is not an object of token: id");
        }

        // About 16 bytes of JSON per entry in real vocabularies.
        var ids = new Dictionary<string, int>(Math.Max(16, json.Length / 16), StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            string token = reader.GetString()!;
            reader.Read();
            if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt32(out int id) || id < 0)
            {
                throw new FormatException("a vocab id is not a non-negative integer");
            }

            ids[token] = id;
        }

        ids.TrimExcess();
        return new Vocabulary(ids);
    }

    private static List<(string, double)> ReadUnigramVocab(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, s_options);
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new FormatException("the Unigram vocab is not an array of [piece, score]");
        }

        var vocab = new List<(string, double)>(Math.Max(16, json.Length / 24));
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

    // Merges are "a b" strings (older files) or ["a", "b"] pairs; the merged token is a + b without b's
    // continuing-subword prefix, as Hugging Face builds it.
    private static PairMap ReadMerges(ReadOnlySpan<byte> json, Vocabulary vocab, string? prefix)
    {
        var reader = new Utf8JsonReader(json, s_options);
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new FormatException("the merges are not an array");
        }

        var merges = new PairMap(Math.Max(16, json.Length / 12));
        char[] left = new char[256];
        char[] right = new char[256];
        char[] joined = new char[512];
        int prefixLength = prefix?.Length ?? 0;
        int rank = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            ReadOnlySpan<char> a, b;
            if (reader.TokenType == JsonTokenType.String)
            {
                ReadOnlySpan<char> line = left.AsSpan(0, Copy(ref reader, ref left));
                int space = line.IndexOf(' ');
                if (space < 0 || line[(space + 1)..].Contains(' '))
                {
                    throw new FormatException($"merge {rank + 1} is not two tokens separated by one space");
                }

                a = line[..space];
                b = line[(space + 1)..];
            }
            else if (reader.TokenType == JsonTokenType.StartArray)
            {
                reader.Read();
                int aLength = Copy(ref reader, ref left);
                reader.Read();
                int bLength = Copy(ref reader, ref right);
                a = left.AsSpan(0, aLength);
                b = right.AsSpan(0, bLength);
                reader.Read();
                if (reader.TokenType != JsonTokenType.EndArray)
                {
                    throw new FormatException($"merge {rank + 1} is not a pair");
                }
            }
            else
            {
                throw new FormatException($"merge {rank + 1} is neither a string nor a pair");
            }

            if (!vocab.TryGetId(a, out int aId) || !vocab.TryGetId(b, out int bId))
            {
                throw new FormatException($"merge {rank + 1} uses a token that is not in the vocabulary");
            }

            if (b.Length < prefixLength)
            {
                throw new FormatException($"merge {rank + 1} is shorter than the continuing-subword prefix");
            }

            int length = a.Length + b.Length - prefixLength;
            if (joined.Length < length)
            {
                joined = new char[length * 2];
            }

            a.CopyTo(joined);
            b[prefixLength..].CopyTo(joined.AsSpan(a.Length));
            if (!vocab.TryGetId(joined.AsSpan(0, length), out int mergedId))
            {
                throw new FormatException($"the result of merge {rank + 1} is not in the vocabulary");
            }

            merges.Set(aId, bId, rank, mergedId);
            rank++;
        }

        return merges;
    }

    private static int Copy(ref Utf8JsonReader reader, ref char[] buffer)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new FormatException("expected a string in the merges");
        }

        int max = reader.HasValueSequence ? (int)reader.ValueSequence.Length : reader.ValueSpan.Length;
        if (buffer.Length < max)
        {
            buffer = new char[max * 2];
        }

        return reader.CopyString(buffer);
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
