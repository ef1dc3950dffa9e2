using System.Text.Json.Serialization;
using Embeddings.Remote.Wire;

namespace Embeddings.AspNetCore.Wire;

/// <summary>Source-generated serialization of the shapes only the server reads; the shared ones are in
/// <see cref="RemoteJsonContext"/>.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(TextInputs))]
[JsonSerializable(typeof(ImageJsonRequest))]
internal sealed partial class ServerJsonContext : JsonSerializerContext;
