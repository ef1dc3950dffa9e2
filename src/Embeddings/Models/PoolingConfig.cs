using System.Numerics;

namespace Embeddings.Models;

/// <summary>A sentence-transformers Pooling module (<c>1_Pooling/config.json</c>).</summary>
/// <param name="Modes">The pooling modes; at least one.</param>
/// <param name="IncludePrompt">Whether prompt tokens take part in pooling (<c>include_prompt</c>, default true); when
/// false, the tokens of the prompt prefix are masked out before pooling.</param>
/// <param name="WordEmbeddingDimension">The token vector size the module was configured with, when given.</param>
internal sealed record PoolingConfig(PoolingModes Modes, bool IncludePrompt, int? WordEmbeddingDimension)
{
    /// <summary>Gets how many vectors are concatenated (one per mode).</summary>
    public int ModeCount => BitOperations.PopCount((uint)Modes);
}
