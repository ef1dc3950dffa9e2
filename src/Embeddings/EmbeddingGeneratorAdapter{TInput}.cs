using Microsoft.Extensions.AI;

namespace Embeddings;

/// <summary>Shared behaviour of the Microsoft.Extensions.AI adapters over an <see cref="IEmbeddingProvider"/>.</summary>
internal abstract class EmbeddingGeneratorAdapter<TInput>(IEmbeddingProvider provider) : IEmbeddingGenerator<TInput, Embedding<float>>
{
    /// <summary>The additional-properties key that selects a prompt by name.</summary>
    internal const string PromptNameProperty = "prompt_name";

    /// <summary>The additional-properties key that turns normalization on or off.</summary>
    internal const string NormalizeProperty = "normalize";

    public async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<TInput> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        EmbeddingInput[] inputs = [.. values.Select(ToInput)];
        IReadOnlyList<EmbeddingResult> results = await provider.EmbedAsync(inputs, ToRequestOptions(options), cancellationToken).ConfigureAwait(false);

        var embeddings = new GeneratedEmbeddings<Embedding<float>>(results.Count);
        foreach (EmbeddingResult result in results)
        {
            embeddings.Add(result.Embedding ?? throw result.Error!);
        }

        return embeddings;
    }

    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is null)
        {
            if (serviceType == typeof(EmbeddingGeneratorMetadata))
            {
                EmbeddingProviderMetadata m = provider.Metadata;
                return new EmbeddingGeneratorMetadata(m.ProviderName, m.ProviderUri, m.ModelId, m.Dimensions > 0 ? m.Dimensions : null);
            }

            if (serviceType.IsInstanceOfType(this))
            {
                return this;
            }
        }

        return provider.GetService(serviceType, serviceKey);
    }

    public void Dispose() => provider.Dispose();

    protected abstract EmbeddingInput ToInput(TInput value);

    internal static EmbeddingRequestOptions? ToRequestOptions(EmbeddingGenerationOptions? options)
    {
        if (options is null)
        {
            return null;
        }

        var request = new EmbeddingRequestOptions { Dimensions = options.Dimensions };
        if (options.AdditionalProperties is { } properties)
        {
            if (properties.TryGetValue(PromptNameProperty, out object? prompt) && prompt is not null)
            {
                request.PromptName = prompt as string
                    ?? throw new ArgumentException($"The '{PromptNameProperty}' option must be a string.", nameof(options));
            }

            if (properties.TryGetValue(NormalizeProperty, out object? normalize) && normalize is not null)
            {
                request.Normalize = normalize as bool?
                    ?? throw new ArgumentException($"The '{NormalizeProperty}' option must be a boolean.", nameof(options));
            }
        }

        return request;
    }
}
