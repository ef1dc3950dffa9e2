using System.Text.Json;
using System.Text.Json.Serialization;

namespace Embeddings.Remote.Wire;

/// <summary>Reads a string or a list of strings into <see cref="TextInputs"/>, and writes it back the same way.</summary>
internal sealed class TextInputsJsonConverter : JsonConverter<TextInputs>
{
    public override TextInputs Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            return new TextInputs([reader.GetString()!], isSingle: true);
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException("Expected a string or a list of strings.");
        }

        var values = new List<string>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.String)
            {
                throw new JsonException("Expected a list of strings.");
            }

            values.Add(reader.GetString()!);
        }

        return new TextInputs(values);
    }

    public override void Write(Utf8JsonWriter writer, TextInputs value, JsonSerializerOptions options)
    {
        if (value.IsSingle)
        {
            writer.WriteStringValue(value.Values[0]);
            return;
        }

        writer.WriteStartArray();
        foreach (string s in value.Values)
        {
            writer.WriteStringValue(s);
        }

        writer.WriteEndArray();
    }
}
