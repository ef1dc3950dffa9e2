namespace Embeddings.Remote.Wire;

/// <summary>
/// The body a dedicated Hugging Face Inference Endpoint's custom handler receives:
/// <c>{"inputs": [...], "parameters": {"mode": "image_embedding" | "text_embedding", ...}}</c>. Images travel as
/// base64 strings of their encoded bytes, texts as strings.
/// </summary>
/// <typeparam name="TInput"><see cref="string"/> for texts, <see cref="ReadOnlyMemory{T}"/> of bytes for images.</typeparam>
internal sealed class InferenceEndpointRequest<TInput>
{
    /// <summary>Gets the inputs.</summary>
    public required IReadOnlyList<TInput> Inputs { get; init; }

    /// <summary>Gets the handler parameters.</summary>
    public required InferenceEndpointParameters Parameters { get; init; }
}
