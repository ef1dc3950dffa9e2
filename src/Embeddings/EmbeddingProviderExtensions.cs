using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace Embeddings;

/// <summary>Convenience methods over <see cref="IEmbeddingProvider"/>.</summary>
public static class EmbeddingProviderExtensions
{
    /// <summary>Embeds one text.</summary>
    /// <param name="provider">The provider.</param>
    /// <param name="text">The text.</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The vector.</returns>
    /// <exception cref="EmbeddingException">The text could not be embedded.</exception>
    public static Task<ReadOnlyMemory<float>> EmbedTextAsync(
        this IEmbeddingProvider provider, string text, EmbeddingRequestOptions? options = null, CancellationToken cancellationToken = default) =>
        EmbedOneAsync(provider, EmbeddingInput.FromText(text), options, cancellationToken);

    /// <summary>Embeds one encoded image.</summary>
    /// <param name="provider">The provider.</param>
    /// <param name="encodedImage">The encoded image bytes.</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The vector.</returns>
    /// <exception cref="EmbeddingException">The image could not be embedded.</exception>
    public static Task<ReadOnlyMemory<float>> EmbedImageAsync(
        this IEmbeddingProvider provider, ReadOnlyMemory<byte> encodedImage, EmbeddingRequestOptions? options = null, CancellationToken cancellationToken = default) =>
        EmbedOneAsync(provider, EmbeddingInput.FromImage(encodedImage), options, cancellationToken);

    /// <summary>Embeds one image file.</summary>
    /// <param name="provider">The provider.</param>
    /// <param name="path">The image file.</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The vector.</returns>
    /// <exception cref="EmbeddingException">The image could not be embedded.</exception>
    public static Task<ReadOnlyMemory<float>> EmbedImageFileAsync(
        this IEmbeddingProvider provider, string path, EmbeddingRequestOptions? options = null, CancellationToken cancellationToken = default) =>
        EmbedOneAsync(provider, EmbeddingInput.FromImageFile(path), options, cancellationToken);

    /// <summary>Embeds a batch of texts.</summary>
    /// <param name="provider">The provider.</param>
    /// <param name="texts">The texts.</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>One result per text, in order.</returns>
    public static Task<IReadOnlyList<EmbeddingResult>> EmbedAsync(
        this IEmbeddingProvider provider, IEnumerable<string> texts, EmbeddingRequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentNullException.ThrowIfNull(texts);
        return provider.EmbedAsync([.. texts.Select(t => EmbeddingInput.FromText(t))], options, cancellationToken);
    }

    /// <summary>
    /// Embeds an arbitrarily long stream of inputs in batches, yielding results in input order. At most two batches
    /// are held at a time: the next batch is read from <paramref name="inputs"/> while the current one is embedded.
    /// </summary>
    /// <param name="provider">The provider.</param>
    /// <param name="inputs">The inputs.</param>
    /// <param name="batchSize">Inputs per call to <see cref="IEmbeddingProvider.EmbedAsync"/>.</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>One result per input, in order.</returns>
    public static async IAsyncEnumerable<EmbeddingResult> EmbedStreamAsync(
        this IEmbeddingProvider provider,
        IAsyncEnumerable<EmbeddingInput> inputs,
        int batchSize = 32,
        EmbeddingRequestOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);

        Task<IReadOnlyList<EmbeddingResult>>? running = null;
        var batch = new List<EmbeddingInput>(batchSize);
        await foreach (EmbeddingInput input in inputs.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            batch.Add(input);
            if (batch.Count < batchSize)
            {
                continue;
            }

            if (running is not null)
            {
                foreach (EmbeddingResult result in await running.ConfigureAwait(false))
                {
                    yield return result;
                }
            }

            running = provider.EmbedAsync(batch, options, cancellationToken);
            batch = new List<EmbeddingInput>(batchSize);
        }

        if (running is not null)
        {
            foreach (EmbeddingResult result in await running.ConfigureAwait(false))
            {
                yield return result;
            }
        }

        if (batch.Count > 0)
        {
            foreach (EmbeddingResult result in await provider.EmbedAsync(batch, options, cancellationToken).ConfigureAwait(false))
            {
                yield return result;
            }
        }
    }

    /// <summary>Asks the provider for a service of type <typeparamref name="TService"/>.</summary>
    /// <typeparam name="TService">The service type.</typeparam>
    /// <param name="provider">The provider.</param>
    /// <param name="serviceKey">An optional key.</param>
    /// <returns>The service, or <see langword="null"/>.</returns>
    public static TService? GetService<TService>(this IEmbeddingProvider provider, object? serviceKey = null)
        where TService : class
    {
        ArgumentNullException.ThrowIfNull(provider);
        return provider.GetService(typeof(TService), serviceKey) as TService;
    }

    /// <summary>Exposes a text-capable provider as a Microsoft.Extensions.AI text embedding generator.</summary>
    /// <param name="provider">The provider; disposing the generator disposes it.</param>
    /// <returns>The generator.</returns>
    /// <remarks>
    /// <see cref="EmbeddingGenerationOptions.Dimensions"/> maps to <see cref="EmbeddingRequestOptions.Dimensions"/>;
    /// the additional properties <c>prompt_name</c> (string) and <c>normalize</c> (bool) map to the other options.
    /// Because that interface has no per-item errors, the first failed input's <see cref="EmbeddingException"/> is thrown.
    /// </remarks>
    public static IEmbeddingGenerator<string, Embedding<float>> AsEmbeddingGenerator(this IEmbeddingProvider provider)
    {
        ArgumentNullException.ThrowIfNull(provider);
        return new TextEmbeddingGenerator(provider);
    }

    /// <summary>Exposes an image-capable provider as a Microsoft.Extensions.AI image embedding generator over
    /// <see cref="DataContent"/> (encoded image bytes).</summary>
    /// <param name="provider">The provider; disposing the generator disposes it.</param>
    /// <returns>The generator.</returns>
    /// <remarks>Options map as for <see cref="AsEmbeddingGenerator"/>; the first failed input's error is thrown.</remarks>
    public static IEmbeddingGenerator<DataContent, Embedding<float>> AsImageEmbeddingGenerator(this IEmbeddingProvider provider)
    {
        ArgumentNullException.ThrowIfNull(provider);
        return new ImageEmbeddingGenerator(provider);
    }

    private static async Task<ReadOnlyMemory<float>> EmbedOneAsync(
        IEmbeddingProvider provider, EmbeddingInput input, EmbeddingRequestOptions? options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(provider);
        IReadOnlyList<EmbeddingResult> results = await provider.EmbedAsync([input], options, cancellationToken).ConfigureAwait(false);
        return results[0].Vector;
    }
}
