using System.Text.Json;
using Embeddings.Remote.Wire;

namespace Embeddings.Remote;

/// <summary>Builds the JSON body of one batch request for a protocol, from the shared wire shapes.</summary>
internal static class RemoteRequestWriter
{
    /// <summary>Serializes a text batch.</summary>
    public static byte[] WriteText(RemoteProtocol protocol, string modelId, IReadOnlyList<string> texts, in RequestSettings settings)
    {
        var inputs = new TextInputs(texts);
        return protocol switch
        {
            // The router's feature-extraction specification has no dimensions field: truncation happens here.
            RemoteProtocol.HuggingFaceInference => JsonSerializer.SerializeToUtf8Bytes(
                new EmbedRequest { Inputs = inputs, Normalize = settings.Normalize, PromptName = settings.PromptName },
                RemoteJsonContext.Default.EmbedRequest),
            RemoteProtocol.TextEmbeddingsInference => JsonSerializer.SerializeToUtf8Bytes(
                new EmbedRequest { Inputs = inputs, Normalize = settings.Normalize, PromptName = settings.PromptName, Dimensions = settings.Dimensions },
                RemoteJsonContext.Default.EmbedRequest),
            RemoteProtocol.InferenceEndpoint => JsonSerializer.SerializeToUtf8Bytes(
                new InferenceEndpointRequest<string> { Inputs = texts, Parameters = Parameters(RemoteRoutes.TextEmbeddingMode, settings) },
                RemoteJsonContext.Default.InferenceEndpointRequestString),
            RemoteProtocol.OpenAI => JsonSerializer.SerializeToUtf8Bytes(
                new OpenAIEmbeddingRequest { Input = inputs, Model = modelId, EncodingFormat = RemoteRoutes.FloatEncoding, Dimensions = settings.Dimensions },
                RemoteJsonContext.Default.OpenAIEmbeddingRequest),
            // "" asks the server for no prompt: without it, /predict applies the model's "query" prompt (the seed
            // server's behaviour), and remote vectors would differ from local ones for the same options.
            RemoteProtocol.EmbeddingsServer => JsonSerializer.SerializeToUtf8Bytes(
                new PredictRequest { Query = inputs, Normalize = settings.Normalize, PromptName = settings.PromptName ?? string.Empty, Dimensions = settings.Dimensions },
                RemoteJsonContext.Default.PredictRequest),
            _ => throw new ArgumentOutOfRangeException(nameof(protocol), protocol, "Unknown protocol."),
        };
    }

    /// <summary>Serializes an image batch (encoded bytes, sent as they are).</summary>
    public static byte[] WriteImages(RemoteProtocol protocol, string modelId, IReadOnlyList<ReadOnlyMemory<byte>> images, in RequestSettings settings) =>
        protocol switch
        {
            RemoteProtocol.InferenceEndpoint => JsonSerializer.SerializeToUtf8Bytes(
                new InferenceEndpointRequest<ReadOnlyMemory<byte>> { Inputs = images, Parameters = Parameters(RemoteRoutes.ImageEmbeddingMode, settings) },
                RemoteJsonContext.Default.InferenceEndpointRequestReadOnlyMemoryByte),
            RemoteProtocol.OpenAI => JsonSerializer.SerializeToUtf8Bytes(
                new OpenAIEmbeddingRequest
                {
                    Input = new TextInputs([.. images.Select(ToDataUri)]),
                    Model = modelId,
                    EncodingFormat = RemoteRoutes.FloatEncoding,
                    Dimensions = settings.Dimensions,
                },
                RemoteJsonContext.Default.OpenAIEmbeddingRequest),
            RemoteProtocol.EmbeddingsServer => JsonSerializer.SerializeToUtf8Bytes(
                new ImageEmbedRequest { Inputs = images, Normalize = settings.Normalize, Dimensions = settings.Dimensions },
                RemoteJsonContext.Default.ImageEmbedRequest),
            _ => throw new ArgumentOutOfRangeException(nameof(protocol), protocol, "This protocol carries no images."),
        };

    /// <summary>The media type of an encoded image, from its magic bytes.</summary>
    public static string SniffMediaType(ReadOnlySpan<byte> bytes) => bytes switch
    {
        [0x89, (byte)'P', (byte)'N', (byte)'G', ..] => "image/png",
        [0xFF, 0xD8, 0xFF, ..] => "image/jpeg",
        [(byte)'G', (byte)'I', (byte)'F', (byte)'8', ..] => "image/gif",
        [(byte)'R', (byte)'I', (byte)'F', (byte)'F', _, _, _, _, (byte)'W', (byte)'E', (byte)'B', (byte)'P', ..] => "image/webp",
        [(byte)'B', (byte)'M', ..] => "image/bmp",
        [(byte)'I', (byte)'I', 0x2A, 0x00, ..] or [(byte)'M', (byte)'M', 0x00, 0x2A, ..] => "image/tiff",
        _ => "application/octet-stream",
    };

    private static string ToDataUri(ReadOnlyMemory<byte> image) =>
        $"data:{SniffMediaType(image.Span)};base64,{Convert.ToBase64String(image.Span)}";

    private static InferenceEndpointParameters Parameters(string mode, in RequestSettings settings) =>
        new() { Mode = mode, Normalize = settings.Normalize, PromptName = settings.PromptName, Dimensions = settings.Dimensions };
}
