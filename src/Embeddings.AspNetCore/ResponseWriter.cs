using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using Embeddings.Remote.Wire;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Embeddings.AspNetCore;

/// <summary>Writes vectors and errors straight into the response body (no intermediate arrays or strings).</summary>
internal static class ResponseWriter
{
    private const string JsonContentType = "application/json";

    /// <summary>Writes the vectors of successful results: one flat array when <paramref name="single"/>, else a list
    /// of arrays (<c>[[f…], …]</c>).</summary>
    public static async Task WriteVectorsAsync(HttpContext context, IReadOnlyList<EmbeddingResult> results, bool single)
    {
        context.Response.ContentType = JsonContentType;
        await using (var writer = new Utf8JsonWriter(context.Response.BodyWriter))
        {
            if (single)
            {
                WriteVector(writer, results[0].Vector.Span);
            }
            else
            {
                writer.WriteStartArray();
                foreach (EmbeddingResult result in results)
                {
                    WriteVector(writer, result.Vector.Span);
                }

                writer.WriteEndArray();
            }
        }

        await context.Response.BodyWriter.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>Writes an OpenAI-style embeddings response.</summary>
    public static async Task WriteOpenAIAsync(HttpContext context, IReadOnlyList<EmbeddingResult> results, string modelId, bool base64)
    {
        context.Response.ContentType = JsonContentType;
        await using (var writer = new Utf8JsonWriter(context.Response.BodyWriter))
        {
            writer.WriteStartObject();
            writer.WriteString("object"u8, "list"u8);
            writer.WriteStartArray("data"u8);
            for (int i = 0; i < results.Count; i++)
            {
                writer.WriteStartObject();
                writer.WriteString("object"u8, "embedding"u8);
                writer.WritePropertyName("embedding"u8);
                ReadOnlySpan<float> vector = results[i].Vector.Span;
                if (base64)
                {
                    WriteBase64Vector(writer, vector);
                }
                else
                {
                    WriteVector(writer, vector);
                }

                writer.WriteNumber("index"u8, i);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteString("model"u8, modelId);

            // Token counts are not reported by providers; 0 says "not counted" (as LitServe's OpenAI spec does).
            writer.WriteStartObject("usage"u8);
            writer.WriteNumber("prompt_tokens"u8, 0);
            writer.WriteNumber("total_tokens"u8, 0);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        await context.Response.BodyWriter.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>Writes an error in the route's style, with its <c>Retry-After</c> and <c>WWW-Authenticate</c> headers.</summary>
    public static async Task WriteErrorAsync(HttpContext context, ApiError error, ErrorStyle style)
    {
        HttpResponse response = context.Response;
        if (response.HasStarted)
        {
            // Too late for a status: cut the response so the client cannot mistake it for a complete one.
            context.Abort();
            return;
        }

        response.StatusCode = error.StatusCode;
        if (error.RetryAfterSeconds is { } seconds)
        {
            response.Headers[HeaderNames.RetryAfter] = seconds.ToString(CultureInfo.InvariantCulture);
        }

        if (error.Challenge is not null)
        {
            response.Headers[HeaderNames.WWWAuthenticate] = error.Challenge;
        }

        response.ContentType = JsonContentType;
        await using (var writer = new Utf8JsonWriter(response.BodyWriter))
        {
            if (style == ErrorStyle.Tei)
            {
                JsonSerializer.Serialize(writer, new RemoteErrorResponse { Error = error.Message, ErrorType = error.Type }, RemoteJsonContext.Default.RemoteErrorResponse);
            }
            else
            {
                writer.WriteStartObject();
                writer.WriteStartObject("error"u8);
                writer.WriteString("message"u8, error.Message);
                writer.WriteString("type"u8, OpenAIType(error.StatusCode));
                if (error.Param is null)
                {
                    writer.WriteNull("param"u8);
                }
                else
                {
                    writer.WriteString("param"u8, error.Param);
                }

                writer.WriteString("code"u8, JsonNamingPolicy.SnakeCaseLower.ConvertName(error.Type));
                writer.WriteEndObject();
                writer.WriteEndObject();
            }
        }

        await response.BodyWriter.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }

    private static void WriteVector(Utf8JsonWriter writer, ReadOnlySpan<float> vector)
    {
        writer.WriteStartArray();
        foreach (float value in vector)
        {
            writer.WriteNumberValue(value);
        }

        writer.WriteEndArray();
    }

    private static void WriteBase64Vector(Utf8JsonWriter writer, ReadOnlySpan<float> vector)
    {
        // OpenAI's base64 encoding: the vector's float32 values, little-endian.
        if (BitConverter.IsLittleEndian)
        {
            writer.WriteBase64StringValue(MemoryMarshal.AsBytes(vector));
            return;
        }

        int[] bits = new int[vector.Length];
        BinaryPrimitives.ReverseEndianness(MemoryMarshal.Cast<float, int>(vector), bits);
        writer.WriteBase64StringValue(MemoryMarshal.AsBytes(bits.AsSpan()));
    }

    private static string OpenAIType(int status) => status switch
    {
        StatusCodes.Status401Unauthorized => "authentication_error",
        StatusCodes.Status429TooManyRequests => "rate_limit_error",
        >= 500 => "server_error",
        _ => "invalid_request_error",
    };
}
