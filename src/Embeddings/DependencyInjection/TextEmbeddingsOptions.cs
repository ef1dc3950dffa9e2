namespace Embeddings.DependencyInjection;

/// <summary>The text model: an EmbeddingGemma-class or other sentence-transformers encoder, registered under
/// <see cref="EmbeddingsServiceKeys.Text"/> and as the unkeyed provider.</summary>
public sealed class TextEmbeddingsOptions
{
    /// <summary>The default for <see cref="Model"/>.</summary>
    public const string DefaultModel = "onnx-community/embeddinggemma-300m-ONNX";

    /// <summary>Gets or sets a value indicating whether the text model is registered.</summary>
    /// <value>The default is <see langword="true"/>. Configuration: <c>Embeddings:Text:Enabled</c>.</value>
    public bool Enabled { get; set; } = true;

    /// <summary>Gets or sets the model: a hub id or a folder in one of the supported ONNX layouts. It runs locally.</summary>
    /// <value>The default is <see cref="DefaultModel"/>. Environment: <c>EMBEDDINGS_TEXT_MODEL</c>; configuration:
    /// <c>Embeddings:Text:Model</c>.</value>
    public string? Model { get; set; } = DefaultModel;
}
