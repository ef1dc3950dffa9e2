namespace Embeddings.AspNetCore;

/// <summary>A parsed embedding request, whatever route and body shape it came in.</summary>
internal sealed class EmbeddingRequest
{
    /// <summary>Gets the inputs, named after their position (<c>query[2]</c>) so errors never quote content.</summary>
    public required IReadOnlyList<EmbeddingInput> Inputs { get; init; }

    /// <summary>Gets a value indicating whether the body held one bare input, answered with one flat vector.</summary>
    public bool Single { get; init; }

    /// <summary>Gets the prompt name the request asked for: <see langword="null"/> for the route's default, an empty
    /// string for none.</summary>
    public string? PromptName { get; init; }

    /// <summary>Gets the Matryoshka dimension asked for.</summary>
    public int? Dimensions { get; init; }

    /// <summary>Gets whether to normalize, or <see langword="null"/> for the provider's default.</summary>
    public bool? Normalize { get; init; }

    /// <summary>Gets a value indicating whether vectors are answered as base64 float32 (OpenAI's <c>encoding_format</c>).</summary>
    public bool Base64 { get; init; }
}
