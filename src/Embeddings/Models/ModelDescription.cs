namespace Embeddings.Models;

/// <summary>
/// A resolved, validated model: every file the local provider loads, as local paths, and the settings read from the
/// model's configuration. Produced by <see cref="ModelResolver"/>; nothing here has been run or decoded.
/// </summary>
/// <remarks>
/// The local provider creates ONNX sessions for <see cref="ImageEncoder"/> / <see cref="TextEncoder"/> (or
/// <see cref="CombinedModel"/> when a tower is absent, and for zero-shot's <c>logit_scale</c> / <c>logit_bias</c>),
/// loads the tokenizer from <see cref="Tokenizer"/> and the image processor from <see cref="PreprocessorConfigPath"/>.
/// It checks the ONNX inputs and outputs itself (this description cannot read them).
/// </remarks>
internal sealed record ModelDescription
{
    /// <summary>Gets the model as the user named it: a hub id or a folder.</summary>
    public required string ModelId { get; init; }

    /// <summary>Gets the local folder holding the files (the snapshot folder for hub models).</summary>
    public required string Folder { get; init; }

    /// <summary>
    /// Gets the content fingerprint for <see cref="EmbeddingProviderMetadata.ModelRevision"/>: the hub commit for hub
    /// models; for local folders <c>sha256:</c> + a hash over every file used (see <see cref="ModelFingerprint"/>).
    /// </summary>
    public required string Revision { get; init; }

    /// <summary>Gets the layout family.</summary>
    public required ModelFamily Family { get; init; }

    /// <summary>Gets <c>model_type</c> from <c>config.json</c>.</summary>
    public required string ModelType { get; init; }

    /// <summary>Gets the ONNX precision chosen.</summary>
    public required ModelVariant Variant { get; init; }

    /// <summary>Gets the image tower (<c>onnx/vision_model*.onnx</c>), or <see langword="null"/>.</summary>
    public OnnxModelFile? ImageEncoder { get; init; }

    /// <summary>Gets the text tower (<c>onnx/text_model*.onnx</c>), or for sentence-transformers models the model
    /// (<c>onnx/model*.onnx</c>); <see langword="null"/> for an image-only model.</summary>
    public OnnxModelFile? TextEncoder { get; init; }

    /// <summary>Gets the combined dual-encoder model (<c>onnx/model*.onnx</c>: both inputs, logits, <c>logit_scale</c>
    /// and for SigLIP <c>logit_bias</c>), when present and asked for or needed for a missing tower.</summary>
    public OnnxModelFile? CombinedModel { get; init; }

    /// <summary>Gets the tokenizer files; <see langword="null"/> for an image-only model.</summary>
    public TokenizerFiles? Tokenizer { get; init; }

    /// <summary>Gets <c>preprocessor_config.json</c>; <see langword="null"/> for text-only models.</summary>
    public string? PreprocessorConfigPath { get; init; }

    /// <summary>Gets the maximum text length in tokens (SigLIP: the fixed text length, 64).</summary>
    public int? TextMaxLength { get; init; }

    /// <summary>Gets whether texts must always be padded to <see cref="TextMaxLength"/> (SigLIP: its text tower has no
    /// attention mask and pools the last position).</summary>
    public bool PadTextToMaxLength { get; init; }

    /// <summary>Gets the embedding size the configuration declares, when it declares one.</summary>
    public int? Dimensions { get; init; }

    /// <summary>Gets the image size of the vision tower (<c>vision_config.image_size</c>), when there is one.</summary>
    public int? ImageSize { get; init; }

    /// <summary>Gets the sentence-transformers pipeline, for <see cref="ModelFamily.SentenceTransformer"/>.</summary>
    public SentenceTransformerPipeline? SentenceTransformer { get; init; }

    /// <summary>Gets every local file the description uses, configuration included.</summary>
    public required IReadOnlyList<string> Files { get; init; }

    /// <summary>Gets the inputs the model embeds.</summary>
    public EmbeddingModalities Modalities =>
        (ImageEncoder is not null || CombinedModel is not null ? EmbeddingModalities.Image : EmbeddingModalities.None)
        | (TextEncoder is not null || CombinedModel is not null ? EmbeddingModalities.Text : EmbeddingModalities.None);
}
