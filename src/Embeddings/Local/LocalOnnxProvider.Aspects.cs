using System.Collections.Concurrent;

namespace Embeddings.Local;

/// <summary>Aspect ("specialized") embeddings.</summary>
public sealed partial class LocalOnnxProvider
{
    private readonly ConcurrentDictionary<string, AspectBasis> _aspectBases = new(StringComparer.Ordinal);

    /// <summary>
    /// Computes aspect embeddings: for each image and aspect, the image vector projected onto the span of the aspect's
    /// label vectors (an orthonormal basis, computed once per aspect and cached) and re-normalized, plus the cosine of
    /// the image with each label. Different aspects span different subspaces, so their embeddings of one image differ;
    /// see docs/aspects.md for the method and how it replaces text-guided embeddings that ignored the text.
    /// </summary>
    /// <param name="images">The images; each is embedded once, whatever the number of aspects.</param>
    /// <param name="aspects">The aspects, or <see langword="null"/> for <see cref="ImageAspect.BuiltIn"/> (colour,
    /// texture, material, style).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>One result per image, in order; a failing image fails alone.</returns>
    /// <exception cref="ArgumentException"><paramref name="aspects"/> is empty or holds a null, or two aspects share a name.</exception>
    /// <exception cref="InvalidOperationException">The model is not a dual encoder with both towers.</exception>
    /// <exception cref="EmbeddingException">A label text could not be embedded.</exception>
    public async Task<IReadOnlyList<ImageAspectsResult>> EmbedAspectsAsync(
        IReadOnlyList<EmbeddingInput> images, IReadOnlyList<ImageAspect>? aspects = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(images);
        ObjectDisposedException.ThrowIf(_disposed, this);
        aspects ??= ImageAspect.BuiltIn;
        if (aspects.Count == 0 || aspects.Any(a => a is null))
        {
            throw new ArgumentException("At least one aspect is needed, and none may be null.", nameof(aspects));
        }

        if (aspects.Select(a => a.Name).Distinct(StringComparer.Ordinal).Count() != aspects.Count)
        {
            throw new ArgumentException("Two aspects share a name.", nameof(aspects));
        }

        RequireDualEncoder("Aspect embeddings");
        var labelVectors = new IReadOnlyList<float[]>[aspects.Count];
        var bases = new AspectBasis[aspects.Count];
        for (int a = 0; a < aspects.Count; a++)
        {
            labelVectors[a] = await LabelVectorsAsync([.. aspects[a].Prompts], cancellationToken).ConfigureAwait(false);
            IReadOnlyList<float[]> vectors = labelVectors[a];
            bases[a] = _aspectBases.GetOrAdd(aspects[a].Key, _ => AspectBasis.Create(vectors));
        }

        IReadOnlyList<EmbeddingResult> embedded = await EmbedImagesOnlyAsync(images, cancellationToken).ConfigureAwait(false);
        var results = new ImageAspectsResult[images.Count];
        for (int i = 0; i < results.Length; i++)
        {
            if (embedded[i].Embedding is not { } embedding)
            {
                results[i] = new ImageAspectsResult(default, null, embedded[i].Error);
                continue;
            }

            ReadOnlySpan<float> vector = embedding.Vector.Span;
            var perAspect = new AspectEmbedding[aspects.Count];
            for (int a = 0; a < aspects.Count; a++)
            {
                IReadOnlyList<string> labels = aspects[a].Labels;
                var scores = new LabelScore[labels.Count];
                for (int j = 0; j < scores.Length; j++)
                {
                    scores[j] = new LabelScore(labels[j], VectorMath.Cosine(vector, labelVectors[a][j]));
                }

                perAspect[a] = new AspectEmbedding(aspects[a].Name, bases[a].Project(vector), scores);
            }

            results[i] = new ImageAspectsResult(embedding.Vector, perAspect, null);
        }

        return results;
    }
}
