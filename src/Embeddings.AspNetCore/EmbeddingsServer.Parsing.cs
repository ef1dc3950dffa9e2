using System.Globalization;
using System.Text.Json;
using Embeddings.AspNetCore.Wire;
using Embeddings.Remote.Wire;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace Embeddings.AspNetCore;

/// <summary>Body parsing: every accepted shape of every route becomes an <see cref="EmbeddingRequest"/>.</summary>
internal sealed partial class EmbeddingsServer
{
    private const string PredictShape =
        "a JSON string, a list of strings, or {\"query\": string | [string], \"prompt_name\"?: string, \"dimensions\"?: int, \"normalize\"?: bool}";

    private const string EmbedShape =
        "{\"inputs\": string | [string], \"prompt_name\"?: string, \"dimensions\"?: int, \"normalize\"?: bool, \"truncate\"?: bool}";

    private const string OpenAIShape =
        "{\"input\": string | [string], \"model\": string, \"encoding_format\"?: \"float\" | \"base64\", \"dimensions\"?: int}";

    private const string ImageShape =
        "{\"inputs\": base64 | [base64], \"dimensions\"?: int, \"normalize\"?: bool} (base64 strings or data:image/...;base64, URIs), "
        + "multipart/form-data files, or a raw image body with an image/* content type";

    private static string FieldOf(EmbeddingRoute route) => route switch
    {
        EmbeddingRoute.Predict => "query",
        EmbeddingRoute.OpenAI => "input",
        _ => "inputs",
    };

    private static ValueTask<ParseResult> ParseAsync(EmbeddingRoute route, HttpContext context, PooledBody body) => route switch
    {
        EmbeddingRoute.Predict => ValueTask.FromResult(ParsePredict(WithoutBom(body.Span))),
        EmbeddingRoute.Embed => ValueTask.FromResult(ParseEmbed(WithoutBom(body.Span))),
        EmbeddingRoute.OpenAI => ValueTask.FromResult(ParseOpenAI(WithoutBom(body.Span))),
        _ => ParseImagesAsync(context, body),
    };

    private static ParseResult ParsePredict(ReadOnlySpan<byte> json)
    {
        try
        {
            switch (FirstByte(json))
            {
                case (byte)'"' or (byte)'[':
                    // What the Python server's clients really sent: a bare string, or a list of strings.
                    TextInputs bare = JsonSerializer.Deserialize(json, ServerJsonContext.Default.TextInputs);
                    return new EmbeddingRequest { Inputs = Texts(bare, "query"), Single = bare.IsSingle };
                case (byte)'{':
                    PredictRequest request = JsonSerializer.Deserialize(json, RemoteJsonContext.Default.PredictRequest)!;
                    return new EmbeddingRequest
                    {
                        Inputs = Texts(request.Query, "query"),
                        Single = request.Query.IsSingle,
                        PromptName = request.PromptName,
                        Dimensions = request.Dimensions,
                        Normalize = request.Normalize,
                    };
                default:
                    return InvalidBody(PredictShape, null);
            }
        }
        catch (JsonException ex)
        {
            return InvalidBody(PredictShape, ex);
        }
    }

    private static ParseResult ParseEmbed(ReadOnlySpan<byte> json)
    {
        try
        {
            if (FirstByte(json) != '{')
            {
                return InvalidBody(EmbedShape, null);
            }

            EmbedRequest request = JsonSerializer.Deserialize(json, RemoteJsonContext.Default.EmbedRequest)!;
            return new EmbeddingRequest
            {
                Inputs = Texts(request.Inputs, "inputs"),
                PromptName = request.PromptName,
                Dimensions = request.Dimensions,
                Normalize = request.Normalize,
            };
        }
        catch (JsonException ex)
        {
            return InvalidBody(EmbedShape, ex);
        }
    }

    private static ParseResult ParseOpenAI(ReadOnlySpan<byte> json)
    {
        OpenAIEmbeddingRequest request;
        try
        {
            if (FirstByte(json) != '{')
            {
                return InvalidBody(OpenAIShape, null);
            }

            request = JsonSerializer.Deserialize(json, RemoteJsonContext.Default.OpenAIEmbeddingRequest)!;
        }
        catch (JsonException ex)
        {
            return InvalidBody(OpenAIShape, ex);
        }

        bool base64;
        switch (request.EncodingFormat)
        {
            case null or RemoteRoutes.FloatEncoding:
                base64 = false;
                break;
            case RemoteRoutes.Base64Encoding:
                base64 = true;
                break;
            default:
                return new ApiError(StatusCodes.Status400BadRequest, "encoding_format must be \"float\" or \"base64\".", ErrorTypes.Validation)
                {
                    Param = "encoding_format",
                };
        }

        IReadOnlyList<string> values = request.Input.Values;
        var inputs = new EmbeddingInput[values.Count];
        for (int i = 0; i < values.Count; i++)
        {
            string name = Name("input", i, request.Input.IsSingle);
            if (!ImagePayloads.IsImageDataUri(values[i]))
            {
                inputs[i] = EmbeddingInput.FromText(values[i], name);
                continue;
            }

            if (ImagePayloads.TryDecode(values[i], out ReadOnlyMemory<byte> image) is { } problem)
            {
                return new ApiError(StatusCodes.Status400BadRequest, $"{name} {problem}.", ErrorTypes.Validation) { Param = "input" };
            }

            inputs[i] = EmbeddingInput.FromImage(image, name);
        }

        return new EmbeddingRequest { Inputs = inputs, Dimensions = request.Dimensions, Base64 = base64 };
    }

    private static async ValueTask<ParseResult> ParseImagesAsync(HttpContext context, PooledBody body)
    {
        string? contentType = context.Request.ContentType;
        if (contentType is not null && MediaTypeHeaderValue.TryParse(contentType, out MediaTypeHeaderValue? mediaType))
        {
            if (mediaType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
            {
                return await ParseMultipartAsync(mediaType, body, context.RequestAborted).ConfigureAwait(false);
            }

            if (mediaType.Type.Equals("image", StringComparison.OrdinalIgnoreCase)
                || mediaType.MediaType.Equals("application/octet-stream", StringComparison.OrdinalIgnoreCase))
            {
                // The body is one encoded image; copied, because the pooled buffer goes back before the call ends.
                return body.Length == 0
                    ? new ApiError(StatusCodes.Status400BadRequest, "The image body is empty.", ErrorTypes.Empty)
                    : new EmbeddingRequest { Inputs = [EmbeddingInput.FromImage(body.Span.ToArray(), "inputs[0]")] };
            }
        }

        return ParseImageJson(WithoutBom(body.Span));
    }

    private static ParseResult ParseImageJson(ReadOnlySpan<byte> json)
    {
        TextInputs values;
        bool? normalize = null;
        int? dimensions = null;
        try
        {
            switch (FirstByte(json))
            {
                case (byte)'"' or (byte)'[':
                    values = JsonSerializer.Deserialize(json, ServerJsonContext.Default.TextInputs);
                    break;
                case (byte)'{':
                    ImageJsonRequest request = JsonSerializer.Deserialize(json, ServerJsonContext.Default.ImageJsonRequest)!;
                    (values, normalize, dimensions) = (request.Inputs, request.Normalize, request.Dimensions);
                    break;
                default:
                    return InvalidBody(ImageShape, null);
            }
        }
        catch (JsonException ex)
        {
            return InvalidBody(ImageShape, ex);
        }

        var inputs = new EmbeddingInput[values.Values.Count];
        for (int i = 0; i < inputs.Length; i++)
        {
            string name = Name("inputs", i, single: false);
            if (ImagePayloads.TryDecode(values.Values[i], out ReadOnlyMemory<byte> image) is { } problem)
            {
                return new ApiError(StatusCodes.Status400BadRequest, $"{name} {problem}.", ErrorTypes.Validation);
            }

            inputs[i] = EmbeddingInput.FromImage(image, name);
        }

        return new EmbeddingRequest { Inputs = inputs, Normalize = normalize, Dimensions = dimensions };
    }

    private static async ValueTask<ParseResult> ParseMultipartAsync(MediaTypeHeaderValue mediaType, PooledBody body, CancellationToken cancellationToken)
    {
        string? boundary = HeaderUtilities.RemoveQuotes(mediaType.Boundary).Value;
        if (string.IsNullOrWhiteSpace(boundary) || boundary.Length > 70)
        {
            return new ApiError(StatusCodes.Status400BadRequest, "The multipart body has no valid boundary.", ErrorTypes.Validation);
        }

        var inputs = new List<EmbeddingInput>();
        bool? normalize = null;
        int? dimensions = null;
        using MemoryStream stream = body.AsStream();
        var reader = new MultipartReader(boundary, stream);
        try
        {
            while (await reader.ReadNextSectionAsync(cancellationToken).ConfigureAwait(false) is { } section)
            {
                ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out ContentDispositionHeaderValue? disposition);
                bool isFile = disposition is not null && (disposition.FileName.HasValue || disposition.FileNameStar.HasValue);
                bool isImage = section.ContentType?.StartsWith("image/", StringComparison.OrdinalIgnoreCase) == true;
                using var content = new MemoryStream();
                await section.Body.CopyToAsync(content, cancellationToken).ConfigureAwait(false);
                if (isFile || isImage)
                {
                    string name = Name("inputs", inputs.Count, single: false);
                    if (content.Length == 0)
                    {
                        return new ApiError(StatusCodes.Status400BadRequest, $"{name} (a multipart file) is empty.", ErrorTypes.Empty);
                    }

                    inputs.Add(EmbeddingInput.FromImage(content.GetBuffer().AsMemory(0, (int)content.Length), name));
                    continue;
                }

                string field = HeaderUtilities.RemoveQuotes(disposition?.Name ?? default).Value ?? string.Empty;
                string value = System.Text.Encoding.UTF8.GetString(content.GetBuffer(), 0, (int)content.Length).Trim();
                if (field.Equals("normalize", StringComparison.OrdinalIgnoreCase))
                {
                    if (!bool.TryParse(value, out bool parsed))
                    {
                        return new ApiError(StatusCodes.Status400BadRequest, "The form field 'normalize' must be true or false.", ErrorTypes.Validation);
                    }

                    normalize = parsed;
                }
                else if (field.Equals("dimensions", StringComparison.OrdinalIgnoreCase))
                {
                    if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int parsed))
                    {
                        return new ApiError(StatusCodes.Status400BadRequest, "The form field 'dimensions' must be a positive integer.", ErrorTypes.Validation);
                    }

                    dimensions = parsed;
                }
            }
        }
        catch (IOException)
        {
            // MultipartReader reports malformed bodies (a missing end boundary, oversized headers) this way.
            return new ApiError(StatusCodes.Status400BadRequest, "The multipart body is malformed.", ErrorTypes.Validation);
        }

        return new EmbeddingRequest { Inputs = inputs, Normalize = normalize, Dimensions = dimensions };
    }

    private static EmbeddingInput[] Texts(TextInputs values, string field)
    {
        var inputs = new EmbeddingInput[values.Values.Count];
        for (int i = 0; i < inputs.Length; i++)
        {
            inputs[i] = EmbeddingInput.FromText(values.Values[i], Name(field, i, values.IsSingle));
        }

        return inputs;
    }

    private static string Name(string field, int index, bool single) =>
        single ? field : string.Create(CultureInfo.InvariantCulture, $"{field}[{index}]");

    private static ReadOnlySpan<byte> WithoutBom(ReadOnlySpan<byte> json) => json.StartsWith("\uFEFF"u8) ? json[3..] : json;

    private static byte FirstByte(ReadOnlySpan<byte> json)
    {
        foreach (byte b in json)
        {
            if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n'))
            {
                return b;
            }
        }

        return 0;
    }

    private static ApiError InvalidBody(string expected, JsonException? exception)
    {
        string where = exception?.Path is { Length: > 1 } path ? $" at {path}" : string.Empty;
        return new ApiError(StatusCodes.Status400BadRequest, $"The request body is not valid{where}: expected {expected}.", ErrorTypes.Validation);
    }
}
