namespace Embeddings.Remote.Wire;

/// <summary>
/// The routes and constants of the HTTP contracts the remote provider speaks, shared with this project's server so
/// both ends agree on one definition.
/// </summary>
internal static class RemoteRoutes
{
    /// <summary>The Hugging Face router's provider segment for Hugging Face's own inference (HF-Inference).</summary>
    public const string HfInferenceSegment = "hf-inference";

    /// <summary>The router path (below <see cref="HfInferenceSegment"/>) of a model's feature-extraction pipeline;
    /// <c>{0}</c> is the model id.</summary>
    public const string FeatureExtractionPathFormat = "models/{0}/pipeline/feature-extraction";

    /// <summary>TEI's embedding route: <c>POST /embed</c> with <see cref="EmbedRequest"/>, answering <c>[[f32…]]</c>.</summary>
    public const string Embed = "embed";

    /// <summary>The OpenAI-style embeddings route: <c>POST /v1/embeddings</c> with <see cref="OpenAIEmbeddingRequest"/>.</summary>
    public const string OpenAIEmbeddings = "v1/embeddings";

    /// <summary>The seed-compatible text route: <c>POST /predict</c> with <see cref="PredictRequest"/>; a single string
    /// answers one flat array, a list answers a list of arrays.</summary>
    public const string Predict = "predict";

    /// <summary>This project's image route: <c>POST /embed_image</c> with <see cref="ImageEmbedRequest"/> (base64
    /// encoded images), answering <c>[[f32…]]</c>.</summary>
    public const string EmbedImage = "embed_image";

    /// <summary>The <c>parameters.mode</c> value that asks an Inference Endpoint custom handler for image embeddings.</summary>
    public const string ImageEmbeddingMode = "image_embedding";

    /// <summary>The <c>parameters.mode</c> value that asks an Inference Endpoint custom handler for text embeddings.</summary>
    public const string TextEmbeddingMode = "text_embedding";

    /// <summary>The OpenAI <c>encoding_format</c> for JSON float arrays.</summary>
    public const string FloatEncoding = "float";

    /// <summary>The OpenAI <c>encoding_format</c> for base64 little-endian float32 vectors.</summary>
    public const string Base64Encoding = "base64";
}
