namespace Embeddings.Remote.Wire;

/// <summary>The <c>parameters</c> object of an <see cref="InferenceEndpointRequest{TInput}"/>.</summary>
internal sealed class InferenceEndpointParameters
{
    /// <summary>Gets what to embed: <see cref="RemoteRoutes.ImageEmbeddingMode"/> or <see cref="RemoteRoutes.TextEmbeddingMode"/>.</summary>
    public required string Mode { get; init; }

    /// <summary>Gets whether the handler should L2-normalize.</summary>
    public bool? Normalize { get; init; }

    /// <summary>Gets the name of a prompt the model defines.</summary>
    public string? PromptName { get; init; }

    /// <summary>Gets the Matryoshka dimension to return.</summary>
    public int? Dimensions { get; init; }
}
