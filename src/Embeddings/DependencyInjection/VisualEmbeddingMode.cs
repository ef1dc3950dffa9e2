namespace Embeddings.DependencyInjection;

/// <summary>Where the visual (image and image-search text) model runs.</summary>
public enum VisualEmbeddingMode
{
    /// <summary>In this process, with ONNX Runtime.</summary>
    Local,

    /// <summary>On a remote service, with the local model as the fallback while the service fails. Needs an API key;
    /// without one the local model is used and a warning is logged.</summary>
    Remote,
}
