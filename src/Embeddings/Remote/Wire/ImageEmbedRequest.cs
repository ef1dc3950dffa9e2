namespace Embeddings.Remote.Wire;

/// <summary>
/// The body of this project's <c>POST /embed_image</c>: <c>{"inputs": ["&lt;base64&gt;", …], "normalize",
/// "dimensions"}</c>, the encoded images (JPEG, PNG, …) as standard base64 strings, sent as they are.
/// </summary>
internal sealed class ImageEmbedRequest
{
    /// <summary>Gets the encoded images (serialized as base64 strings).</summary>
    public required IReadOnlyList<ReadOnlyMemory<byte>> Inputs { get; init; }

    /// <summary>Gets whether the server should L2-normalize.</summary>
    public bool? Normalize { get; init; }

    /// <summary>Gets the Matryoshka dimension to return.</summary>
    public int? Dimensions { get; init; }
}
