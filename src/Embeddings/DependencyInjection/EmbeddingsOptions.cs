using System.ComponentModel.DataAnnotations;
using Embeddings.Composition;
using Embeddings.Local;
using Embeddings.Remote;

namespace Embeddings.DependencyInjection;

/// <summary>
/// Everything <c>services.AddEmbeddings()</c> builds: the visual model (local, or remote with a local fallback), the
/// text model, the remote client, the fallback, an optional cache and when models load. Bound from the configuration
/// section <c>Embeddings</c>; the environment variables of the Python deployment set the defaults.
/// </summary>
/// <remarks>
/// <para>Precedence, lowest first: the defaults documented on each property; the environment variables
/// (<c>VISUAL_EMBEDDING_MODE</c>, <c>HUGGINGFACE_API_KEY</c>, ...; an empty value counts as unset); the configuration
/// section; the <see cref="Action{T}"/> given to <c>AddEmbeddings</c>.</para>
/// <para>Validated when the host starts: an invalid value (an unknown mode, a number out of range, a malformed URL,
/// remote and local models that differ) stops the start with a message naming the setting and, where one maps to it,
/// the environment variable.</para>
/// </remarks>
public sealed class EmbeddingsOptions
{
    /// <summary>Gets or sets the visual model settings (configuration: <c>Embeddings:Visual</c>).</summary>
    [Required]
    public VisualEmbeddingsOptions Visual { get; set; } = new();

    /// <summary>Gets or sets the text model settings (configuration: <c>Embeddings:Text</c>).</summary>
    [Required]
    public TextEmbeddingsOptions Text { get; set; } = new();

    /// <summary>
    /// Gets or sets how the local models (the visual one and the text one) are loaded and run (configuration:
    /// <c>Embeddings:Local</c>, for example <c>Embeddings:Local:TextBatchSize</c>,
    /// <c>Embeddings:Local:Runtime:IntraOpThreads</c>, <c>Embeddings:Local:ModelSource:Variant</c>).
    /// </summary>
    /// <remarks>Where hub models come from follows the hub's environment variables (<c>HF_HOME</c>, <c>HF_HUB_CACHE</c>,
    /// <c>HF_HUB_OFFLINE</c>, <c>HF_TOKEN</c>, <c>HF_ENDPOINT</c>) unless <c>Embeddings:Local:ModelSource</c> sets them.
    /// <see cref="LocalOnnxProviderOptions.Modalities"/> is set per model and must not be configured: the visual model
    /// loads every side it has (its image key serves the texts that search images too), the text model its text side.</remarks>
    [Required]
#pragma warning disable SYSLIB1212 // Checked by the custom validator, with messages naming the section.
    public LocalOnnxProviderOptions Local { get; set; } = new();
#pragma warning restore SYSLIB1212

    /// <summary>
    /// Gets or sets the remote client used in <see cref="VisualEmbeddingMode.Remote"/> mode (configuration:
    /// <c>Embeddings:Remote</c>). <see cref="HuggingFaceProviderOptions.ModelId"/> defaults to
    /// <see cref="VisualEmbeddingsOptions.Model"/>.
    /// </summary>
    /// <remarks>Environment: <c>HUGGINGFACE_API_KEY</c> (else <c>HF_TOKEN</c>) → <c>ApiKey</c>,
    /// <c>HUGGINGFACE_API_URL</c> → <c>BaseUrl</c>, <c>HUGGINGFACE_SIGLIP_MODEL</c> → <c>ModelId</c>,
    /// <c>HUGGINGFACE_BATCH_SIZE</c> → <c>BatchSize</c>, <c>HUGGINGFACE_TIMEOUT</c> (seconds) → <c>Timeout</c>,
    /// <c>HUGGINGFACE_MAX_RETRIES</c> → <c>MaxRetries</c>.</remarks>
    [Required]
#pragma warning disable SYSLIB1212 // Checked by the custom validator, with messages naming the section and variables.
    public HuggingFaceProviderOptions Remote { get; set; } = new();
#pragma warning restore SYSLIB1212

    /// <summary>
    /// Gets or sets the fallback from the remote service to the local model (configuration: <c>Embeddings:Fallback</c>).
    /// Set <see cref="FallbackProviderOptions.AssumeCompatible"/> only to combine a remote model and a local model whose
    /// ids differ but whose vectors are the same.
    /// </summary>
    [Required]
    public FallbackProviderOptions Fallback { get; set; } = new();

    /// <summary>
    /// Gets or sets the cache in front of both providers, or <see langword="null"/> for none (configuration:
    /// <c>Embeddings:Cache</c>; any key under it turns the cache on, as does <c>AddCache()</c>).
    /// </summary>
    public EmbeddingCacheOptions? Cache { get; set; }

    /// <summary>Gets or sets when the local models are loaded (configuration: <c>Embeddings:ModelLoading</c>).</summary>
    /// <value>The default is <see cref="EmbeddingModelLoading.OnFirstUse"/>.</value>
    public EmbeddingModelLoading ModelLoading { get; set; } = EmbeddingModelLoading.OnFirstUse;

    /// <summary>Gets the problems found in the environment variables, reported by start-up validation.</summary>
    internal List<string> EnvironmentErrors { get; } = [];
}
