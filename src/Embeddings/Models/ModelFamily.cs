namespace Embeddings.Models;

/// <summary>The kinds of model layout this library loads.</summary>
internal enum ModelFamily
{
    /// <summary>SigLIP, or SigLIP2 at a fixed resolution (config <c>model_type</c> <c>siglip</c>): image and text towers;
    /// text always padded to <see cref="ModelDescription.TextMaxLength"/>; the text vector is the last position's.</summary>
    Siglip,

    /// <summary>CLIP (config <c>model_type</c> <c>clip</c>): image and text towers; text padded per batch with an attention mask.</summary>
    Clip,

    /// <summary>A sentence-transformers text encoder (<c>modules.json</c>): pooling, Dense layers and normalization.</summary>
    SentenceTransformer,
}
