namespace Embeddings.Remote;

/// <summary>The HTTP contract a <see cref="HuggingFaceProvider"/> speaks.</summary>
public enum RemoteProtocol
{
    /// <summary>
    /// The Hugging Face router's feature-extraction pipeline (text only):
    /// <c>POST {BaseUrl}/hf-inference/models/{ModelId}/pipeline/feature-extraction</c> with
    /// <c>{"inputs": [...], "normalize", "prompt_name"}</c>, answering pooled (<c>[[f…]]</c>) or token-level
    /// (<c>[[[f…]]]</c>, mean-pooled here) vectors. A model id that is a full URL is used as the endpoint verbatim.
    /// </summary>
    HuggingFaceInference,

    /// <summary>
    /// A dedicated Inference Endpoint running a custom handler (texts and images): <c>POST {BaseUrl}</c> with
    /// <c>{"inputs": [...], "parameters": {"mode": "image_embedding" | "text_embedding"}}</c>, images as base64 strings
    /// of their encoded bytes.
    /// </summary>
    InferenceEndpoint,

    /// <summary>Hugging Face Text Embeddings Inference: <c>POST {BaseUrl}/embed</c> (text only).</summary>
    TextEmbeddingsInference,

    /// <summary>
    /// An OpenAI-style service: <c>POST {BaseUrl}/v1/embeddings</c> (or <c>{BaseUrl}/embeddings</c> when the base URL
    /// already ends in <c>/v1</c>). Images are sent as <c>data:</c> URIs when image input is enabled through
    /// <see cref="HuggingFaceProviderOptions.Modalities"/>, for servers that accept them.
    /// </summary>
    OpenAI,

    /// <summary>
    /// This project's own server: <c>POST {BaseUrl}/predict</c> with <c>{"query": [...]}</c> for texts (seed-compatible)
    /// and <c>POST {BaseUrl}/embed_image</c> with <c>{"inputs": ["&lt;base64&gt;", …]}</c> for images.
    /// </summary>
    EmbeddingsServer,
}
