namespace Embeddings.Remote.Wire;

/// <summary>
/// The body of the seed-compatible <c>POST /predict</c>: <c>{"query": "text"}</c> answers one flat array,
/// <c>{"query": ["a", "b"]}</c> a list of arrays. The optional fields are this project's additions.
/// </summary>
internal sealed class PredictRequest
{
    /// <summary>Gets the text or texts.</summary>
    public required TextInputs Query { get; init; }

    /// <summary>Gets the name of a prompt the model defines: absent for the server's default (<c>query</c>, as the seed
    /// server always applied), an empty string for none.</summary>
    public string? PromptName { get; init; }

    /// <summary>Gets whether the server should L2-normalize.</summary>
    public bool? Normalize { get; init; }

    /// <summary>Gets the Matryoshka dimension to return.</summary>
    public int? Dimensions { get; init; }
}
