using System.Text.Encodings.Web;
using System.Text.Json;

namespace Embeddings.Cli.Output;

/// <summary>Writes one JSON value per line (JSON Lines) to a stream, UTF-8 without a byte order mark.</summary>
internal sealed class JsonLineWriter : IDisposable
{
    private static readonly JsonWriterOptions s_options = new()
    {
        // Paths and labels are echoed as written; the output is data, never embedded in HTML.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private readonly Stream _stream;
    private readonly Utf8JsonWriter _json;

    public JsonLineWriter(Stream stream)
    {
        _stream = stream;
        _json = new Utf8JsonWriter(stream, s_options);
    }

    /// <summary>Gets the writer for the line being written: write exactly one value, then call <see cref="EndLine"/>.</summary>
    public Utf8JsonWriter Json => _json;

    /// <summary>Ends the current line.</summary>
    public void EndLine()
    {
        _json.Flush();
        _stream.WriteByte((byte)'\n');
        _json.Reset();
    }

    /// <summary>Writes <c>{"embedding":[...]}</c>.</summary>
    public void WriteEmbedding(ReadOnlySpan<float> vector)
    {
        _json.WriteStartObject();
        _json.WritePropertyName("embedding");
        WriteVector(_json, vector);
        _json.WriteEndObject();
        EndLine();
    }

    /// <summary>Writes <c>{"error":{"type":...,"message":...}}</c>, plus the input's name when one is given.</summary>
    public void WriteError(Exception error, string? input = null)
    {
        _json.WriteStartObject();
        if (input is not null)
        {
            _json.WriteString("input", input);
        }

        WriteErrorProperty(_json, error);
        _json.WriteEndObject();
        EndLine();
    }

    /// <summary>Writes the <c>"error"</c> property of an object being written.</summary>
    public static void WriteErrorProperty(Utf8JsonWriter json, Exception error)
    {
        json.WritePropertyName("error");
        json.WriteStartObject();
        json.WriteString("type", ErrorKinds.Of(error));
        json.WriteString("message", error.Message);
        json.WriteEndObject();
    }

    /// <summary>Writes a vector as a JSON array of numbers (each float32 written so that it reads back exactly).</summary>
    public static void WriteVector(Utf8JsonWriter json, ReadOnlySpan<float> vector)
    {
        json.WriteStartArray();
        foreach (float value in vector)
        {
            json.WriteNumberValue(value);
        }

        json.WriteEndArray();
    }

    public void Flush() => _stream.Flush();

    public void Dispose()
    {
        _json.Dispose();
        _stream.Flush();
    }
}
