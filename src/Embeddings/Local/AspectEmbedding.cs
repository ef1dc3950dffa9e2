namespace Embeddings.Local;

/// <summary>One aspect of one image: its aspect embedding and how well each label matches.</summary>
public sealed class AspectEmbedding
{
    internal AspectEmbedding(string aspect, ReadOnlyMemory<float> vector, IReadOnlyList<LabelScore> scores)
    {
        Aspect = aspect;
        Vector = vector;
        Scores = scores;
    }

    /// <summary>Gets the aspect's name.</summary>
    public string Aspect { get; }

    /// <summary>Gets the image vector projected onto the span of the aspect's label vectors, L2-normalized (all zeros
    /// in the degenerate case of an image vector orthogonal to every label).</summary>
    public ReadOnlyMemory<float> Vector { get; }

    /// <summary>Gets, per label in the aspect's order, the cosine similarity of the image and label vectors.</summary>
    public IReadOnlyList<LabelScore> Scores { get; }
}
