using System.Text.Json.Serialization;

namespace Embeddings.Remote.Wire;

/// <summary>Source-generated (trimming- and AOT-safe) serialization of every wire shape, shared with the server.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(EmbedRequest))]
[JsonSerializable(typeof(ImageEmbedRequest))]
[JsonSerializable(typeof(InferenceEndpointRequest<string>))]
[JsonSerializable(typeof(InferenceEndpointRequest<ReadOnlyMemory<byte>>))]
[JsonSerializable(typeof(PredictRequest))]
[JsonSerializable(typeof(OpenAIEmbeddingRequest))]
[JsonSerializable(typeof(OpenAIEmbeddingResponse))]
[JsonSerializable(typeof(RemoteErrorResponse))]
[JsonSerializable(typeof(float[]))]
[JsonSerializable(typeof(float[][]))]
internal sealed partial class RemoteJsonContext : JsonSerializerContext;
