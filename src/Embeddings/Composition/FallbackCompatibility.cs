namespace Embeddings.Composition;

/// <summary>The construction-time check that a fallback chain's providers produce comparable vectors.</summary>
internal static class FallbackCompatibility
{
    /// <summary>
    /// Throws <see cref="ArgumentException"/> when two providers declare different model ids or different known
    /// dimensions, unless <paramref name="assumeCompatible"/>; returns the dimension the chain produces (that of the
    /// first provider that declares one), or 0 while none does.
    /// </summary>
    public static int Check(IReadOnlyList<IEmbeddingProvider> providers, bool assumeCompatible, string paramName)
    {
        EmbeddingProviderMetadata first = providers[0].Metadata;
        EmbeddingProviderMetadata? sized = first.Dimensions > 0 ? first : null;
        for (int p = 1; p < providers.Count; p++)
        {
            EmbeddingProviderMetadata other = providers[p].Metadata;
            if (!assumeCompatible && !string.Equals(first.ModelId, other.ModelId, StringComparison.OrdinalIgnoreCase))
            {
                throw new ArgumentException(
                    $"The embedding providers cannot be combined: '{first.ProviderName}' runs model '{first.ModelId}' and "
                    + $"'{other.ProviderName}' runs model '{other.ModelId}'. Vectors from different models are not comparable, "
                    + "so falling back from one to the other would silently mix embedding spaces. If both produce the same "
                    + $"vectors under different names, set {nameof(FallbackProviderOptions)}.{nameof(FallbackProviderOptions.AssumeCompatible)}.",
                    paramName);
            }

            if (other.Dimensions == 0)
            {
                continue;
            }

            if (sized is null)
            {
                sized = other;
            }
            else if (!assumeCompatible && other.Dimensions != sized.Dimensions)
            {
                throw new ArgumentException(
                    $"The embedding providers cannot be combined: '{sized.ProviderName}' produces {sized.Dimensions}-dimensional "
                    + $"vectors and '{other.ProviderName}' {other.Dimensions}-dimensional ones (model '{other.ModelId}'). Vectors "
                    + "of different dimensions are not comparable. If they are truncations of one Matryoshka model and every "
                    + $"call requests a common {nameof(EmbeddingRequestOptions.Dimensions)}, set "
                    + $"{nameof(FallbackProviderOptions)}.{nameof(FallbackProviderOptions.AssumeCompatible)}.",
                    paramName);
            }
        }

        return sized?.Dimensions ?? 0;
    }
}
