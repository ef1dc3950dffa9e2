namespace Embeddings.AspNetCore;

/// <summary>The inputs of one request that go to one provider.</summary>
internal sealed class RequestPlanGroup(DynamicBatcher batcher)
{
    /// <summary>Gets the batcher in front of the provider.</summary>
    public DynamicBatcher Batcher { get; } = batcher;

    /// <summary>Gets the positions of the group's inputs in the request.</summary>
    public List<int> Indices { get; } = [];

    /// <summary>Gets or sets a value indicating whether the group holds a text (prompts apply).</summary>
    public bool HasText { get; set; }

    /// <summary>Gets or sets the group's results, once queued.</summary>
    public Task<IReadOnlyList<EmbeddingResult>>? Completion { get; set; }
}
