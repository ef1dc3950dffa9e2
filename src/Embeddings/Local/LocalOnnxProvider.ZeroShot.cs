using System.Collections.Concurrent;
using Embeddings.Models;
using Microsoft.Extensions.Logging;

namespace Embeddings.Local;

/// <summary>Zero-shot image classification and the label-vector cache it shares with aspects.</summary>
public sealed partial class LocalOnnxProvider
{
    private readonly SemaphoreSlim _headLock = new(1, 1);
    private readonly ConcurrentDictionary<string, float[]> _labelVectors = new(StringComparer.Ordinal);
    private ZeroShotHead? _zeroShotHead;

    /// <summary>
    /// Scores one image against labels, as transformers' zero-shot-image-classification pipeline does: each label is
    /// put into <see cref="ZeroShotOptions.HypothesisTemplate"/> and embedded (once; the vectors are cached), then
    /// SigLIP scores <c>sigmoid(exp(logit_scale)·cos + logit_bias)</c> per label and CLIP takes a softmax of
    /// <c>exp(logit_scale)·cos</c> over the labels. <c>logit_scale</c> and <c>logit_bias</c> are read from the model's
    /// combined graph (<c>onnx/model.onnx</c>), which is resolved on the first call unless
    /// <see cref="LocalOnnxProviderOptions.LoadZeroShotHead"/> loaded it at creation.
    /// </summary>
    /// <param name="image">The image.</param>
    /// <param name="labels">The candidate labels, at least one.</param>
    /// <param name="options">The template, or <see langword="null"/> for the pipeline's default.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>One score per label, in the order given.</returns>
    /// <exception cref="EmbeddingException">The image could not be embedded (its <see cref="EmbeddingInputException"/>).</exception>
    /// <exception cref="InvalidOperationException">The model is not a dual encoder with both towers.</exception>
    /// <exception cref="EmbeddingModelException">The model has no combined graph holding <c>logit_scale</c>.</exception>
    public async Task<IReadOnlyList<LabelScore>> ClassifyAsync(
        EmbeddingInput image, IReadOnlyList<string> labels, ZeroShotOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(image);
        IReadOnlyList<ZeroShotResult> results = await ClassifyAsync([image], labels, options, cancellationToken).ConfigureAwait(false);
        return results[0].Scores ?? throw results[0].Error!;
    }

    /// <summary>Scores images against labels (see <see cref="ClassifyAsync(EmbeddingInput, IReadOnlyList{string}, ZeroShotOptions?, CancellationToken)"/>);
    /// images are embedded in batches and a failing image fails alone.</summary>
    /// <param name="images">The images.</param>
    /// <param name="labels">The candidate labels, at least one.</param>
    /// <param name="options">The template, or <see langword="null"/> for the pipeline's default.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>One result per image, in order.</returns>
    /// <exception cref="ArgumentException">There is no label, or a label is null or empty.</exception>
    /// <exception cref="InvalidOperationException">The model is not a dual encoder with both towers.</exception>
    /// <exception cref="EmbeddingModelException">The model has no combined graph holding <c>logit_scale</c>.</exception>
    public async Task<IReadOnlyList<ZeroShotResult>> ClassifyAsync(
        IReadOnlyList<EmbeddingInput> images, IReadOnlyList<string> labels, ZeroShotOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(labels);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (labels.Count == 0 || labels.Any(string.IsNullOrEmpty))
        {
            throw new ArgumentException("Zero-shot classification needs at least one label, and no label may be null or empty.", nameof(labels));
        }

        RequireDualEncoder("Zero-shot classification");
        ZeroShotHead head = await GetZeroShotHeadAsync(cancellationToken).ConfigureAwait(false);
        string template = options?.HypothesisTemplate ?? LocalOnnxProviderDefaults.HypothesisTemplate;
        IReadOnlyList<float[]> labelVectors = await LabelVectorsAsync(
            [.. labels.Select(l => template.Replace("{}", l, StringComparison.Ordinal))], cancellationToken).ConfigureAwait(false);

        IReadOnlyList<EmbeddingResult> embedded = await EmbedImagesOnlyAsync(images, cancellationToken).ConfigureAwait(false);
        var results = new ZeroShotResult[images.Count];
        for (int i = 0; i < results.Length; i++)
        {
            if (embedded[i].Embedding is not { } embedding)
            {
                results[i] = new ZeroShotResult(null, embedded[i].Error);
                continue;
            }

            float[] scores = head.Score(embedding.Vector.Span, labelVectors);
            results[i] = new ZeroShotResult([.. labels.Select((l, j) => new LabelScore(l, scores[j]))], null);
        }

        return results;
    }

    /// <summary>Gets the number of label and prompt texts whose vectors are cached (for tests).</summary>
    internal int CachedLabelCount => _labelVectors.Count;

    /// <summary>Gets the zero-shot constants, reading them on first use.</summary>
    internal async Task<ZeroShotHead> GetZeroShotHeadAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _zeroShotHead) is { } known)
        {
            return known;
        }

        await _headLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_zeroShotHead is { } loaded)
            {
                return loaded;
            }

            string? combined = _description.CombinedModel?.Path;
            if (combined is null)
            {
                ModelDescription withCombined = await _resolver.ResolveAsync(_description.ModelId, _options.ModelSource, includeCombinedModel: true, cancellationToken)
                    .ConfigureAwait(false);
                combined = withCombined.CombinedModel?.Path ?? throw new EmbeddingModelException(_description.ModelId,
                    $"Model '{ModelId}' has no combined graph (onnx/model{ModelVariantNames.Suffix(_description.Variant)}.onnx): zero-shot scores need the " +
                    "logit_scale (and for SigLIP logit_bias) it holds.");
            }

            ZeroShotHead head = ReadZeroShotHead(combined);
            Volatile.Write(ref _zeroShotHead, head);
            return head;
        }
        finally
        {
            _headLock.Release();
        }
    }

    private ZeroShotHead ReadZeroShotHead(string combinedModel)
    {
        bool siglip = _description.Family == ModelFamily.Siglip;
        Dictionary<string, double> scalars;
        try
        {
            scalars = OnnxInitializerReader.ReadScalars(combinedModel, siglip ? ["logit_scale", "logit_bias"] : ["logit_scale"]);
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            throw new EmbeddingModelException(_description.ModelId, $"Model '{ModelId}': the zero-shot constants could not be read from '{combinedModel}': {ex.Message}", ex);
        }

        if (!scalars.TryGetValue("logit_scale", out double scale) || (siglip && !scalars.ContainsKey("logit_bias")))
        {
            throw new EmbeddingModelException(_description.ModelId,
                $"Model '{ModelId}': '{combinedModel}' has no scalar {(scalars.ContainsKey("logit_scale") ? "logit_bias" : "logit_scale")} " +
                "initializer or constant, which zero-shot scores need.");
        }

        var head = new ZeroShotHead(siglip, scale, siglip ? scalars["logit_bias"] : 0);
        _logger.ZeroShotHeadLoaded(ModelId, siglip ? "sigmoid" : "softmax", head.LogitScale, Math.Exp(head.LogitScale), head.LogitBias, combinedModel);
        return head;
    }

    /// <summary>Gets the normalized text vectors of label texts, embedding those not cached yet.</summary>
    /// <exception cref="EmbeddingException">A label text could not be embedded.</exception>
    internal async Task<IReadOnlyList<float[]>> LabelVectorsAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken)
    {
        string[] missing = [.. texts.Where(t => !_labelVectors.ContainsKey(t)).Distinct(StringComparer.Ordinal)];
        var found = new Dictionary<string, float[]>(StringComparer.Ordinal);
        if (missing.Length > 0)
        {
            var settings = new RequestSettings(null, Metadata.Dimensions, Normalize: true);
            IReadOnlyList<EmbeddingResult> results = await EmbedCoreAsync(
                [.. missing.Select(t => EmbeddingInput.FromText(t, "label"))], settings, cancellationToken).ConfigureAwait(false);
            if (_labelVectors.Count + missing.Length > LocalOnnxProviderDefaults.LabelCacheCapacity)
            {
                // Callers cycling through ever-new labels must not grow the cache without bound.
                _labelVectors.Clear();
            }

            for (int i = 0; i < missing.Length; i++)
            {
                float[] vector = results[i].Vector.ToArray();
                found[missing[i]] = vector;
                _labelVectors[missing[i]] = vector;
            }
        }

        return [.. texts.Select(t => found.TryGetValue(t, out float[]? v) ? v : _labelVectors.TryGetValue(t, out v) ? v : throw new InvalidOperationException("A label vector vanished."))];
    }

    /// <summary>Embeds images (normalized, full size); text inputs fail as unsupported here.</summary>
    private async Task<IReadOnlyList<EmbeddingResult>> EmbedImagesOnlyAsync(IReadOnlyList<EmbeddingInput> images, CancellationToken cancellationToken)
    {
        var imageInputs = new List<EmbeddingInput>(images.Count);
        var results = new EmbeddingResult[images.Count];
        for (int i = 0; i < images.Count; i++)
        {
            EmbeddingInput input = images[i] ?? throw new ArgumentNullException(nameof(images), $"Image {i} is null.");
            if (input.Kind == EmbeddingInputKind.Text)
            {
                results[i] = EmbeddingResult.Failure(new EmbeddingInputException(EmbeddingInputError.UnsupportedModality, input.ToString(),
                    "a text input cannot be classified or split into aspects; give an image."), LocalOnnxProviderDefaults.ProviderName);
            }
            else
            {
                imageInputs.Add(input);
            }
        }

        IReadOnlyList<EmbeddingResult> embedded = await EmbedCoreAsync(imageInputs, new RequestSettings(null, Metadata.Dimensions, Normalize: true), cancellationToken)
            .ConfigureAwait(false);
        for (int i = 0, k = 0; i < results.Length; i++)
        {
            results[i] ??= embedded[k++];
        }

        return results;
    }

    private void RequireDualEncoder(string what)
    {
        if (_text is null || _image is null || _description.Family == ModelFamily.SentenceTransformer)
        {
            throw new InvalidOperationException(
                $"{what} needs a dual encoder (SigLIP, CLIP) with both an image and a text side; model '{ModelId}' embeds {Metadata.Modalities}.");
        }
    }
}
