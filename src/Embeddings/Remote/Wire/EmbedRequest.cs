namespace Embeddings.Remote.Wire;

/// <summary>
/// The body of TEI's <c>POST /embed</c>, which is also the Hugging Face router's feature-extraction request (its
/// specification is generated from TEI's): <c>{"inputs", "normalize", "prompt_name", "truncate", "dimensions"}</c>.
/// </summary>
internal sealed class EmbedRequest
{
    /// <summary>Gets the texts.</summary>
    public required TextInputs Inputs { get; init; }

    /// <summary>Gets whether the server should L2-normalize (TEI's default is true).</summary>
    public bool? Normalize { get; init; }

    /// <summary>Gets the name of a prompt the model defines (sentence-transformers <c>prompts</c>).</summary>
    public string? PromptName { get; init; }

    /// <summary>Gets whether over-long inputs are truncated rather than refused.</summary>
    public bool? Truncate { get; init; }

    /// <summary>Gets the Matryoshka dimension to return.</summary>
    public int? Dimensions { get; init; }
}
