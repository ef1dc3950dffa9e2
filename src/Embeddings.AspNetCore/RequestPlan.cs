namespace Embeddings.AspNetCore;

/// <summary>How one request's inputs split between providers (texts and images may be served by different ones),
/// and how their results come back together in request order.</summary>
internal sealed class RequestPlan
{
    private int _count;

    /// <summary>Gets the groups, one per provider, in order of first appearance.</summary>
    public List<RequestPlanGroup> Groups { get; } = [];

    /// <summary>Adds the input at <paramref name="index"/> to the group of <paramref name="batcher"/>.</summary>
    public void Add(DynamicBatcher batcher, int index, bool text)
    {
        RequestPlanGroup? group = null;
        foreach (RequestPlanGroup existing in Groups)
        {
            if (ReferenceEquals(existing.Batcher, batcher))
            {
                group = existing;
                break;
            }
        }

        if (group is null)
        {
            group = new RequestPlanGroup(batcher);
            Groups.Add(group);
        }

        group.Indices.Add(index);
        group.HasText |= text;
        _count++;
    }

    /// <summary>Waits for every group and puts the results back in request order.</summary>
    public async Task<IReadOnlyList<EmbeddingResult>> GatherAsync(CancellationToken cancellationToken)
    {
        var results = new EmbeddingResult[_count];
        foreach (RequestPlanGroup group in Groups)
        {
            IReadOnlyList<EmbeddingResult> part = await group.Completion!.WaitAsync(cancellationToken).ConfigureAwait(false);
            for (int j = 0; j < group.Indices.Count; j++)
            {
                results[group.Indices[j]] = part[j];
            }
        }

        return results;
    }
}
