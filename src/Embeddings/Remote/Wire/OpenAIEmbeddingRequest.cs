namespace Embeddings.Remote.Wire;

/// <summary>
/// The body of an OpenAI-style <c>POST /v1/embeddings</c>: <c>{"input", "model", "encoding_format", "dimensions"}</c>.
/// Images travel as <c>data:</c> URIs in <c>input</c> where the server accepts them.
/// </summary>
internal sealed class OpenAIEmbeddingRequest
{
    /// <summary>Gets the texts or image data URIs.</summary>
    public required TextInputs Input { get; init; }

    /// <summary>Gets the model id.</summary>
    public required string Model { get; init; }

    /// <summary>Gets <see cref="RemoteRoutes.FloatEncoding"/> or <see cref="RemoteRoutes.Base64Encoding"/>.</summary>
    public string? EncodingFormat { get; init; }

    /// <summary>Gets the Matryoshka dimension to return.</summary>
    public int? Dimensions { get; init; }
}
