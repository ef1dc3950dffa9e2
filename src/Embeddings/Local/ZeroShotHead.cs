namespace Embeddings.Local;

/// <summary>
/// How a dual encoder turns image-text cosines into label scores, with the learned constants read from its combined
/// model: SigLIP <c>sigmoid(exp(logit_scale)·cos + logit_bias)</c> per label; CLIP <c>softmax(exp(logit_scale)·cos)</c>
/// over the labels.
/// </summary>
/// <param name="Sigmoid">Whether scores are independent sigmoids (SigLIP) rather than a softmax (CLIP).</param>
/// <param name="LogitScale">The raw <c>logit_scale</c> (its exponential multiplies the cosines).</param>
/// <param name="LogitBias">The <c>logit_bias</c> (0 for CLIP).</param>
internal sealed record ZeroShotHead(bool Sigmoid, double LogitScale, double LogitBias)
{
    /// <summary>Scores one image against the labels.</summary>
    /// <param name="image">The image's normalized vector.</param>
    /// <param name="labels">The labels' normalized vectors.</param>
    /// <returns>One score per label.</returns>
    public float[] Score(ReadOnlySpan<float> image, IReadOnlyList<float[]> labels)
    {
        // In float32, as the graph computes logits_per_image; the activation in double.
        float scale = MathF.Exp((float)LogitScale);
        float bias = (float)LogitBias;
        var logits = new double[labels.Count];
        for (int j = 0; j < logits.Length; j++)
        {
            logits[j] = (scale * System.Numerics.Tensors.TensorPrimitives.Dot(image, labels[j])) + bias;
        }

        var scores = new float[logits.Length];
        if (Sigmoid)
        {
            for (int j = 0; j < scores.Length; j++)
            {
                scores[j] = (float)(1 / (1 + Math.Exp(-logits[j])));
            }

            return scores;
        }

        double max = logits.Length == 0 ? 0 : logits.Max();
        double sum = 0;
        for (int j = 0; j < logits.Length; j++)
        {
            logits[j] = Math.Exp(logits[j] - max);
            sum += logits[j];
        }

        for (int j = 0; j < scores.Length; j++)
        {
            scores[j] = (float)(logits[j] / sum);
        }

        return scores;
    }
}
