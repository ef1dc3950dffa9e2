namespace Embeddings.AspNetCore;

/// <summary>The embedding routes, which differ in body shape, answer shape and error style.</summary>
internal enum EmbeddingRoute
{
    /// <summary><c>POST /predict</c>: the LitServe server's route.</summary>
    Predict,

    /// <summary><c>POST /embed</c>: TEI's route.</summary>
    Embed,

    /// <summary><c>POST /v1/embeddings</c> and <c>POST /embeddings</c>: OpenAI's route.</summary>
    OpenAI,

    /// <summary><c>POST /embed_image</c>: images as multipart files, a raw body or base64 JSON.</summary>
    Image,
}
