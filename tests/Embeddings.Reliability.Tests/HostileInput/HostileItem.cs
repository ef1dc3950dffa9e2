namespace Embeddings.Reliability.HostileInput;

/// <summary>One input of the hostile corpus.</summary>
/// <param name="Name">What it is (used as the input's name, so errors can be matched to it).</param>
/// <param name="Create">Makes a fresh input (streams are read once).</param>
/// <param name="Expected">What it may produce.</param>
internal sealed record HostileItem(string Name, Func<EmbeddingInput> Create, Outcome Expected)
{
    public override string ToString() => Name;
}
