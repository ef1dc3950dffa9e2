using System.Numerics.Tensors;
using Embeddings.Models;

namespace Embeddings.Local;

/// <summary>
/// sentence-transformers' Pooling module over token states <c>[batch, sequence, hidden]</c> with an attention mask:
/// every enabled mode's vector, concatenated in the order cls, max, mean, mean_sqrt_len, weightedmean, lasttoken.
/// </summary>
internal static class TokenPooling
{
    /// <summary>Pools one row.</summary>
    /// <param name="states">The row's token states, <c>sequence × hidden</c>.</param>
    /// <param name="mask">The row's attention mask (1 token, 0 padding), <c>sequence</c> values; prompt tokens are
    /// already zeroed when the model excludes them.</param>
    /// <param name="hidden">The hidden size.</param>
    /// <param name="modes">The enabled modes.</param>
    /// <param name="destination">Receives <c>hidden × (number of modes)</c> values.</param>
    public static void Pool(ReadOnlySpan<float> states, ReadOnlySpan<long> mask, int hidden, PoolingModes modes, Span<float> destination)
    {
        int sequence = mask.Length;
        int offset = 0;
        if (modes.HasFlag(PoolingModes.Cls))
        {
            states[..hidden].CopyTo(destination.Slice(offset, hidden));
            offset += hidden;
        }

        if (modes.HasFlag(PoolingModes.Max))
        {
            // sentence-transformers sets padded states to -1e9 before the maximum.
            Span<float> max = destination.Slice(offset, hidden);
            max.Fill(-1e9f);
            for (int t = 0; t < sequence; t++)
            {
                if (mask[t] != 0)
                {
                    TensorPrimitives.Max(max, states.Slice(t * hidden, hidden), max);
                }
            }

            offset += hidden;
        }

        if (modes.HasFlag(PoolingModes.Mean) || modes.HasFlag(PoolingModes.MeanSqrtLen))
        {
            Span<float> sum = destination.Slice(offset, hidden);
            sum.Clear();
            float count = 0;
            for (int t = 0; t < sequence; t++)
            {
                if (mask[t] != 0)
                {
                    TensorPrimitives.Add(sum, states.Slice(t * hidden, hidden), sum);
                    count++;
                }
            }

            // torch.clamp(sum_mask, min=1e-9).
            count = MathF.Max(count, 1e-9f);
            if (modes.HasFlag(PoolingModes.Mean))
            {
                if (modes.HasFlag(PoolingModes.MeanSqrtLen))
                {
                    Span<float> sqrt = destination.Slice(offset + hidden, hidden);
                    TensorPrimitives.Divide(sum, MathF.Sqrt(count), sqrt);
                    TensorPrimitives.Divide(sum, count, sum);
                    offset += 2 * hidden;
                }
                else
                {
                    TensorPrimitives.Divide(sum, count, sum);
                    offset += hidden;
                }
            }
            else
            {
                TensorPrimitives.Divide(sum, MathF.Sqrt(count), sum);
                offset += hidden;
            }
        }

        if (modes.HasFlag(PoolingModes.WeightedMean))
        {
            // Position weights 1..n over the tokens kept by the mask.
            Span<float> sum = destination.Slice(offset, hidden);
            sum.Clear();
            float total = 0;
            for (int t = 0; t < sequence; t++)
            {
                if (mask[t] != 0)
                {
                    float weight = t + 1;
                    TensorPrimitives.MultiplyAdd(states.Slice(t * hidden, hidden), weight, sum, sum);
                    total += weight;
                }
            }

            TensorPrimitives.Divide(sum, MathF.Max(total, 1e-9f), sum);
            offset += hidden;
        }

        if (modes.HasFlag(PoolingModes.LastToken))
        {
            // The last position the mask keeps; the final position when it keeps none (as sentence-transformers).
            int last = sequence - 1;
            while (last >= 0 && mask[last] == 0)
            {
                last--;
            }

            last = last < 0 ? sequence - 1 : last;

            states.Slice(last * hidden, hidden).CopyTo(destination.Slice(offset, hidden));
        }
    }
}
