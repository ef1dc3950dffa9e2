namespace Embeddings;

/// <summary>Options for one embedding call. Unset values take the provider's defaults.</summary>
public sealed class EmbeddingRequestOptions
{
    /// <summary>
    /// Gets or sets the number of dimensions to return (Matryoshka truncation followed by re-normalization), or
    /// <see langword="null"/> for the model's full dimension. Providers reject sizes their model does not support.
    /// </summary>
    public int? Dimensions
    {
        get;
        set
        {
            if (value is not null)
            {
                ArgumentOutOfRangeException.ThrowIfNegativeOrZero(value.Value, nameof(Dimensions));
            }

            field = value;
        }
    }

    /// <summary>
    /// Gets or sets the name of a prompt defined by the model (for example <c>query</c> or <c>document</c> in
    /// <c>config_sentence_transformers.json</c>), prepended to text inputs. Image inputs ignore it.
    /// </summary>
    public string? PromptName { get; set; }

    /// <summary>
    /// Gets or sets whether vectors are L2-normalized, or <see langword="null"/> for the provider default
    /// (normalized).
    /// </summary>
    public bool? Normalize { get; set; }

    /// <summary>Creates a copy of these options.</summary>
    /// <returns>A new instance with the same values.</returns>
    public EmbeddingRequestOptions Clone() =>
        new() { Dimensions = Dimensions, PromptName = PromptName, Normalize = Normalize };
}
