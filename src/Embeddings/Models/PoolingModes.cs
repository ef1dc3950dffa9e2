namespace Embeddings.Models;

/// <summary>
/// sentence-transformers pooling modes. When several are set, their vectors are concatenated in the order of these
/// values (cls, max, mean, mean_sqrt_len, weightedmean, lasttoken), as sentence-transformers does.
/// </summary>
[Flags]
internal enum PoolingModes
{
    None = 0,

    /// <summary>The first token's vector (<c>pooling_mode_cls_token</c>).</summary>
    Cls = 1,

    /// <summary>The element-wise maximum over non-padding tokens (<c>pooling_mode_max_tokens</c>).</summary>
    Max = 2,

    /// <summary>The mean over non-padding tokens (<c>pooling_mode_mean_tokens</c>).</summary>
    Mean = 4,

    /// <summary>The sum over non-padding tokens divided by the square root of their count (<c>pooling_mode_mean_sqrt_len_tokens</c>).</summary>
    MeanSqrtLen = 8,

    /// <summary>The mean weighted by position, 1 for the first token up to n for the last (<c>pooling_mode_weightedmean_tokens</c>).</summary>
    WeightedMean = 16,

    /// <summary>The last non-padding token's vector (<c>pooling_mode_lasttoken</c>).</summary>
    LastToken = 32,
}
