using System.Buffers;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace Embeddings.Remote;

/// <summary>
/// Reads every response shape the supported services produce, strictly: numbers must be finite float32 values and
/// nesting must be consistent. Accepted shapes:
/// <list type="bullet">
/// <item><c>[f…]</c> (one vector), <c>[[f…], …]</c> (one per input), <c>[[[f…], …], …]</c> (token-level, mean-pooled);</item>
/// <item><c>[{"embedding": …, "index": i}, …]</c> and OpenAI's <c>{"data": [...], "usage": {...}}</c> (vectors as
/// float arrays or base64 float32);</item>
/// <item><c>{"embeddings": …}</c> or <c>{"embedding": …}</c> wrapping any of the array shapes (custom handlers).</item>
/// </list>
/// </summary>
internal static class EmbeddingResponseReader
{
    /// <summary>Reads a response body.</summary>
    /// <param name="json">The UTF-8 body.</param>
    /// <returns>The vectors.</returns>
    /// <exception cref="RemoteResponseException">The body is not a valid embedding response.</exception>
    public static ParsedEmbeddings Read(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 16 });
            Read(ref reader);
            ParsedEmbeddings result = reader.TokenType switch
            {
                JsonTokenType.StartArray => ReadTopArray(ref reader),
                JsonTokenType.StartObject => ReadObject(ref reader),
                _ => throw Malformed($"expected a JSON array or object, found {Describe(reader.TokenType)}"),
            };

            if (reader.Read())
            {
                throw Malformed("unexpected data after the JSON value");
            }

            return result;
        }
        catch (JsonException ex)
        {
            // Python's json module writes NaN/Infinity as bare tokens, which are not JSON: say what they are.
            if (json.IndexOf("NaN"u8) >= 0 || json.IndexOf("Infinity"u8) >= 0)
            {
                throw Malformed("the response contains non-finite values (NaN or Infinity)", ex);
            }

            throw Malformed($"the response is not valid JSON ({ex.Message})", ex);
        }
    }

    /// <summary>Extracts a service's error message from an error body (<c>error</c>, <c>error.message</c>,
    /// <c>message</c>, <c>detail</c>), or <see langword="null"/> when there is none.</summary>
    /// <param name="body">The UTF-8 body.</param>
    /// <returns>The message.</returns>
    public static string? ReadErrorMessage(ReadOnlySpan<byte> body)
    {
        if (body.IsEmpty)
        {
            return null;
        }

        try
        {
            var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 16 });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return PlainText(body);
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                bool known = reader.ValueTextEquals("error"u8) || reader.ValueTextEquals("message"u8) || reader.ValueTextEquals("detail"u8);
                reader.Read();
                if (known && reader.TokenType == JsonTokenType.String)
                {
                    return reader.GetString();
                }

                if (known && reader.TokenType == JsonTokenType.StartObject)
                {
                    // OpenAI: {"error": {"message": "...", "type": "..."}}
                    while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                    {
                        bool message = reader.ValueTextEquals("message"u8);
                        reader.Read();
                        if (message && reader.TokenType == JsonTokenType.String)
                        {
                            return reader.GetString();
                        }

                        reader.Skip();
                    }

                    continue;
                }

                reader.Skip();
            }
        }
        catch (JsonException)
        {
            return PlainText(body);
        }

        return null;
    }

    private static string? PlainText(ReadOnlySpan<byte> body)
    {
        // Only short, printable bodies (an HTML error page is noise).
        if (body.Length > 512 || body.IndexOf((byte)'<') >= 0)
        {
            return null;
        }

        string text = System.Text.Encoding.UTF8.GetString(body).Trim();
        return text.Length == 0 ? null : text;
    }

    private static ParsedEmbeddings ReadTopArray(ref Utf8JsonReader reader)
    {
        Read(ref reader);
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                return ReadDataItems(ref reader, promptTokens: null);
            default:
                (float[][] vectors, bool pooled) = ReadNestedFromFirst(ref reader);
                return new ParsedEmbeddings(vectors, null, pooled);
        }
    }

    private static ParsedEmbeddings ReadObject(ref Utf8JsonReader reader)
    {
        float[][]? vectors = null;
        bool pooled = false;
        int? tokens = null;
        string? error = null;
        while (true)
        {
            Read(ref reader);
            if (reader.TokenType == JsonTokenType.EndObject)
            {
                break;
            }

            if (reader.ValueTextEquals("embeddings"u8) || reader.ValueTextEquals("embedding"u8))
            {
                Read(ref reader);
                EnsureNotSet(vectors);
                if (reader.TokenType == JsonTokenType.String)
                {
                    vectors = [ReadBase64Vector(ref reader)];
                }
                else
                {
                    Expect(ref reader, JsonTokenType.StartArray, "an embeddings array");
                    Read(ref reader);
                    (vectors, pooled) = reader.TokenType == JsonTokenType.StartObject
                        ? (ReadDataItems(ref reader, null).Vectors, false)
                        : ReadNestedFromFirst(ref reader);
                }
            }
            else if (reader.ValueTextEquals("data"u8))
            {
                Read(ref reader);
                EnsureNotSet(vectors);
                Expect(ref reader, JsonTokenType.StartArray, "a data array");
                Read(ref reader);
                vectors = reader.TokenType == JsonTokenType.EndArray ? [] : ReadDataItems(ref reader, null).Vectors;
            }
            else if (reader.ValueTextEquals("usage"u8))
            {
                Read(ref reader);
                tokens = ReadUsage(ref reader);
            }
            else if (reader.ValueTextEquals("error"u8))
            {
                Read(ref reader);
                error = reader.TokenType == JsonTokenType.String ? reader.GetString() : "an error object";
                if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
                {
                    reader.Skip();
                }
            }
            else
            {
                Read(ref reader);
                reader.Skip();
            }
        }

        if (vectors is null)
        {
            throw Malformed(error is null
                ? "the response object has no 'embeddings', 'embedding' or 'data' field"
                : "the service answered with an error object instead of vectors");
        }

        return new ParsedEmbeddings(vectors, tokens, pooled);
    }

    private static void EnsureNotSet(float[][]? vectors)
    {
        if (vectors is not null)
        {
            throw Malformed("the response holds vectors in more than one field");
        }
    }

    private static int? ReadUsage(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return null;
        }

        int? tokens = null;
        while (true)
        {
            Read(ref reader);
            if (reader.TokenType == JsonTokenType.EndObject)
            {
                return tokens;
            }

            bool prompt = reader.ValueTextEquals("prompt_tokens"u8);
            Read(ref reader);
            if (prompt && reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out int n) && n >= 0)
            {
                tokens = n;
            }
            else
            {
                reader.Skip();
            }
        }
    }

    /// <summary>Reads <c>{"embedding": …, "index": i}</c> items; the reader is on the first item's StartObject.</summary>
    private static ParsedEmbeddings ReadDataItems(ref Utf8JsonReader reader, int? promptTokens)
    {
        var items = new List<(float[] Vector, int Index)>();
        bool anyIndex = false;
        while (reader.TokenType != JsonTokenType.EndArray)
        {
            Expect(ref reader, JsonTokenType.StartObject, "an embedding object");
            float[]? vector = null;
            int index = -1;
            while (true)
            {
                Read(ref reader);
                if (reader.TokenType == JsonTokenType.EndObject)
                {
                    break;
                }

                if (reader.ValueTextEquals("embedding"u8))
                {
                    Read(ref reader);
                    if (reader.TokenType == JsonTokenType.String)
                    {
                        vector = ReadBase64Vector(ref reader);
                    }
                    else
                    {
                        Expect(ref reader, JsonTokenType.StartArray, "an embedding array");
                        Read(ref reader);
                        vector = ReadVectorFromFirst(ref reader);
                    }
                }
                else if (reader.ValueTextEquals("index"u8))
                {
                    Read(ref reader);
                    if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt32(out index) || index < 0)
                    {
                        throw Malformed("an embedding index is not a non-negative integer");
                    }

                    anyIndex = true;
                }
                else
                {
                    Read(ref reader);
                    reader.Skip();
                }
            }

            items.Add((vector ?? throw Malformed("an item has no 'embedding' field"), index));
            Read(ref reader);
        }

        var vectors = new float[items.Count][];
        if (!anyIndex)
        {
            for (int i = 0; i < items.Count; i++)
            {
                vectors[i] = items[i].Vector;
            }

            return new ParsedEmbeddings(vectors, promptTokens, false);
        }

        foreach ((float[] vector, int index) in items)
        {
            if (index < 0 || index >= vectors.Length || vectors[index] is not null)
            {
                throw Malformed("the embedding indices are not a permutation of the inputs");
            }

            vectors[index] = vector;
        }

        return new ParsedEmbeddings(vectors, promptTokens, false);
    }

    private static float[] ReadBase64Vector(ref Utf8JsonReader reader)
    {
        byte[] bytes;
        try
        {
            bytes = reader.GetBytesFromBase64();
        }
        catch (FormatException ex)
        {
            throw Malformed("an embedding string is not base64", ex);
        }

        if (bytes.Length == 0 || bytes.Length % sizeof(float) != 0)
        {
            throw Malformed("a base64 embedding is not a whole number of float32 values");
        }

        float[] vector = new float[bytes.Length / sizeof(float)];
        MemoryMarshal.Cast<byte, float>(bytes).CopyTo(vector);
        if (!BitConverter.IsLittleEndian)
        {
            // The wire format is little-endian float32.
            Span<int> bits = MemoryMarshal.Cast<float, int>(vector.AsSpan());
            System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(bits, bits);
        }

        foreach (float v in vector)
        {
            if (!float.IsFinite(v))
            {
                throw Malformed("the response contains non-finite values (NaN or Infinity)");
            }
        }

        return vector;
    }

    /// <summary>Reads rank 1, 2 or 3 arrays; the reader is on the first token inside the outer array.</summary>
    private static (float[][] Vectors, bool Pooled) ReadNestedFromFirst(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.EndArray:
                return ([], false);
            case JsonTokenType.Number:
                return ([ReadVectorFromFirst(ref reader)], false);
            case JsonTokenType.StartArray:
                break;
            default:
                throw Malformed($"expected numbers or arrays, found {Describe(reader.TokenType)}");
        }

        // The reader is on the first inner array: its first element decides between rank 2 and rank 3.
        Read(ref reader);
        bool tokenLevel = reader.TokenType == JsonTokenType.StartArray;
        var vectors = new List<float[]>();
        while (true)
        {
            vectors.Add(tokenLevel ? ReadTokenMatrixFromFirst(ref reader) : ReadVectorFromFirst(ref reader));
            Read(ref reader);
            if (reader.TokenType == JsonTokenType.EndArray)
            {
                return ([.. vectors], tokenLevel);
            }

            Expect(ref reader, JsonTokenType.StartArray, "a nested array");
            Read(ref reader);
            if (tokenLevel != (reader.TokenType == JsonTokenType.StartArray))
            {
                throw Malformed("the arrays are nested inconsistently");
            }
        }
    }

    /// <summary>Reads <c>[[f…], …]</c> token vectors and returns their mean; the reader is on the first token
    /// vector's StartArray.</summary>
    private static float[] ReadTokenMatrixFromFirst(ref Utf8JsonReader reader)
    {
        float[]? sum = null;
        int tokens = 0;
        while (reader.TokenType != JsonTokenType.EndArray)
        {
            Expect(ref reader, JsonTokenType.StartArray, "a token vector");
            Read(ref reader);
            float[] token = ReadVectorFromFirst(ref reader);
            if (sum is null)
            {
                sum = token;
            }
            else if (token.Length != sum.Length)
            {
                throw Malformed("token vectors of one input differ in length");
            }
            else
            {
                TensorPrimitives.Add(sum, token, sum);
            }

            tokens++;
            Read(ref reader);
        }

        if (sum is null)
        {
            throw Malformed("an input has no token vectors");
        }

        TensorPrimitives.Divide(sum, tokens, sum);
        return sum;
    }

    /// <summary>Reads numbers up to the closing bracket; the reader is on the first token inside the array.</summary>
    private static float[] ReadVectorFromFirst(ref Utf8JsonReader reader)
    {
        float[] buffer = ArrayPool<float>.Shared.Rent(1024);
        int count = 0;
        try
        {
            while (reader.TokenType != JsonTokenType.EndArray)
            {
                if (reader.TokenType != JsonTokenType.Number)
                {
                    throw Malformed($"expected a number in a vector, found {Describe(reader.TokenType)}");
                }

                if (!reader.TryGetSingle(out float value) || !float.IsFinite(value))
                {
                    throw Malformed("the response contains non-finite values (NaN or Infinity) or numbers out of float32 range");
                }

                if (count == buffer.Length)
                {
                    float[] larger = ArrayPool<float>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan().CopyTo(larger);
                    ArrayPool<float>.Shared.Return(buffer);
                    buffer = larger;
                }

                buffer[count++] = value;
                Read(ref reader);
            }

            if (count == 0)
            {
                throw Malformed("a vector is empty");
            }

            return buffer.AsSpan(0, count).ToArray();
        }
        finally
        {
            ArrayPool<float>.Shared.Return(buffer);
        }
    }

    private static void Read(ref Utf8JsonReader reader)
    {
        if (!reader.Read())
        {
            throw Malformed("the response ends early");
        }
    }

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType type, string what)
    {
        if (reader.TokenType != type)
        {
            throw Malformed($"expected {what}, found {Describe(reader.TokenType)}");
        }
    }

    private static string Describe(JsonTokenType type) => type switch
    {
        JsonTokenType.StartArray => "an array",
        JsonTokenType.StartObject => "an object",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        JsonTokenType.EndArray => "the end of an array",
        JsonTokenType.EndObject => "the end of an object",
        _ => type.ToString(),
    };

    private static RemoteResponseException Malformed(string message, Exception? inner = null) => new(message, inner);
}
