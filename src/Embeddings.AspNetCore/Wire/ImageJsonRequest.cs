using Embeddings.Remote.Wire;

namespace Embeddings.AspNetCore.Wire;

/// <summary>
/// The JSON body of <c>POST /embed_image</c> as the server reads it: the remote client's
/// <see cref="ImageEmbedRequest"/> (<c>{"inputs": ["&lt;base64&gt;", …], "normalize", "dimensions"}</c>), also
/// accepting one string instead of a list and <c>data:image/…;base64,</c> URIs instead of bare base64.
/// </summary>
internal sealed class ImageJsonRequest
{
    /// <summary>Gets the images as base64 strings or data URIs.</summary>
    public required TextInputs Inputs { get; init; }

    /// <summary>Gets whether to normalize.</summary>
    public bool? Normalize { get; init; }

    /// <summary>Gets the Matryoshka dimension to return.</summary>
    public int? Dimensions { get; init; }
}
