namespace Embeddings;

/// <summary>Describes a provider: who it is, which model it runs and what it produces.</summary>
public sealed class EmbeddingProviderMetadata
{
    /// <summary>Creates a description.</summary>
    /// <param name="providerName">A short provider name, for example <c>local-onnx</c> or <c>huggingface</c>.</param>
    /// <param name="modelId">The model identifier (hub id or folder name).</param>
    /// <param name="dimensions">The dimension of the vectors the model produces.</param>
    /// <param name="modalities">The inputs the provider embeds.</param>
    /// <param name="promptNames">The prompt names the model defines, if any.</param>
    /// <param name="providerUri">Where a remote provider sends requests, if any.</param>
    /// <param name="modelRevision">A revision or content hash that changes whenever the model's vectors would change.</param>
    public EmbeddingProviderMetadata(
        string providerName,
        string modelId,
        int dimensions,
        EmbeddingModalities modalities,
        IReadOnlyList<string>? promptNames = null,
        Uri? providerUri = null,
        string? modelRevision = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(providerName);
        ArgumentException.ThrowIfNullOrEmpty(modelId);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimensions);

        ProviderName = providerName;
        ModelId = modelId;
        Dimensions = dimensions;
        Modalities = modalities;
        PromptNames = promptNames ?? [];
        ProviderUri = providerUri;
        ModelRevision = modelRevision;
    }

    /// <summary>Gets the provider name.</summary>
    public string ProviderName { get; }

    /// <summary>Gets the model identifier.</summary>
    public string ModelId { get; }

    /// <summary>Gets the dimension of the vectors the model produces.</summary>
    public int Dimensions { get; }

    /// <summary>Gets the inputs the provider embeds.</summary>
    public EmbeddingModalities Modalities { get; }

    /// <summary>Gets the prompt names the model defines.</summary>
    public IReadOnlyList<string> PromptNames { get; }

    /// <summary>Gets where a remote provider sends requests; <see langword="null"/> for local providers.</summary>
    public Uri? ProviderUri { get; }

    /// <summary>
    /// Gets a revision (a hub commit) or a content hash of the model files, tokenizer and preprocessing configuration,
    /// which changes whenever the vectors for the same input would change; <see langword="null"/> when unknown.
    /// Caches include it in their keys.
    /// </summary>
    public string? ModelRevision { get; }
}
