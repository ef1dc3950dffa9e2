namespace Embeddings.Remote.Wire;

/// <summary>An OpenAI-style embeddings response: <c>{"object": "list", "data": [...], "model", "usage"}</c>.</summary>
internal sealed class OpenAIEmbeddingResponse
{
    /// <summary>Gets the object type, always <c>list</c>.</summary>
    public string Object { get; init; } = "list";

    /// <summary>Gets one item per input.</summary>
    public required IReadOnlyList<OpenAIEmbeddingData> Data { get; init; }

    /// <summary>Gets the model id.</summary>
    public required string Model { get; init; }

    /// <summary>Gets the token counts.</summary>
    public OpenAIUsage? Usage { get; init; }
}
