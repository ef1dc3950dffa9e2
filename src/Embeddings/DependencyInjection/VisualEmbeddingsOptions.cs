namespace Embeddings.DependencyInjection;

/// <summary>The visual model: a SigLIP / SigLIP2 / CLIP dual encoder that embeds images and the texts that search them,
/// registered under <see cref="EmbeddingsServiceKeys.Image"/>.</summary>
public sealed class VisualEmbeddingsOptions
{
    /// <summary>The default for <see cref="Model"/>.</summary>
    public const string DefaultModel = "google/siglip2-so400m-patch14-384";

    /// <summary>Gets or sets a value indicating whether the visual model is registered.</summary>
    /// <value>The default is <see langword="true"/>. Environment: <c>VISUAL_EMBEDDING_ENABLED</c>; configuration:
    /// <c>Embeddings:Visual:Enabled</c>.</value>
    public bool Enabled { get; set; } = true;

    /// <summary>Gets or sets where the visual model runs.</summary>
    /// <value>The default is <see cref="VisualEmbeddingMode.Local"/>. Environment: <c>VISUAL_EMBEDDING_MODE</c>
    /// (<c>local</c> or <c>remote</c>, any case; anything else fails the start); configuration:
    /// <c>Embeddings:Visual:Mode</c>.</value>
    public VisualEmbeddingMode Mode { get; set; } = VisualEmbeddingMode.Local;

    /// <summary>
    /// Gets or sets the local model: a hub id or a folder in one of the supported ONNX layouts. It is also the remote
    /// model unless <c>Embeddings:Remote:ModelId</c> names another.
    /// </summary>
    /// <value>The default is <see cref="DefaultModel"/>. Environment: <c>VISUAL_EMBEDDING_PRIMARY_MODEL</c>;
    /// configuration: <c>Embeddings:Visual:Model</c>.</value>
    public string? Model { get; set; } = DefaultModel;
}
