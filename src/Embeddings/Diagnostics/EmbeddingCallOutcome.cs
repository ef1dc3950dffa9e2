namespace Embeddings.Diagnostics;

/// <summary>How one call to an embedding service ended.</summary>
public enum EmbeddingCallOutcome
{
    /// <summary>The call returned a vector for every input it carried.</summary>
    Succeeded,

    /// <summary>The call failed; see <see cref="EmbeddingUsageRecord.FailureKind"/>.</summary>
    Failed,

    /// <summary>The caller cancelled the call.</summary>
    Cancelled,
}
