namespace Embeddings.Reliability.HostileInput;

/// <summary>What an input of the hostile corpus may legitimately produce.</summary>
/// <param name="VectorAllowed">A vector is an acceptable outcome.</param>
/// <param name="Reasons">The typed errors that are acceptable (empty: none).</param>
internal sealed record Outcome(bool VectorAllowed, IReadOnlyList<EmbeddingInputError> Reasons)
{
    public static Outcome Vector { get; } = new(true, []);

    public static Outcome Error(params EmbeddingInputError[] reasons) => new(false, reasons);

    public static Outcome VectorOr(params EmbeddingInputError[] reasons) => new(true, reasons);

    public override string ToString() =>
        (VectorAllowed ? "vector" : "") + (VectorAllowed && Reasons.Count > 0 ? " or " : "") + string.Join("/", Reasons);
}
