using Embeddings.TestSupport;

namespace Embeddings.AspNetCore.TestSupport;

/// <summary>Fake providers whose vectors depend on the input and every option (see <see cref="OptionAwareVectors"/>).</summary>
internal static class ServedFakes
{
    public static readonly EmbeddingProviderMetadata GemmaLike = new(
        "test", "fake/embeddinggemma", 8, EmbeddingModalities.Text, ["query", "document", "STS"]);

    public static readonly EmbeddingProviderMetadata SiglipLike = new(
        "test", "fake/siglip2", 8, EmbeddingModalities.Text | EmbeddingModalities.Image);

    public static TestEmbeddingProvider Provider(EmbeddingProviderMetadata? metadata = null) => OptionAwareVectors.Provider(metadata ?? GemmaLike);

    /// <summary>The vector the provider gives a text with these options.</summary>
    public static float[] Text(string text, string? prompt = null, int? dimensions = null, bool? normalize = null, EmbeddingProviderMetadata? metadata = null) =>
        OptionAwareVectors.For(metadata ?? GemmaLike, EmbeddingInput.FromText(text), Options(prompt, dimensions, normalize));

    /// <summary>The vector the provider gives an encoded image with these options.</summary>
    public static float[] Image(byte[] encoded, int? dimensions = null, bool? normalize = null, EmbeddingProviderMetadata? metadata = null) =>
        OptionAwareVectors.For(metadata ?? SiglipLike, EmbeddingInput.FromImage(encoded), Options(null, dimensions, normalize));

    private static EmbeddingRequestOptions Options(string? prompt, int? dimensions, bool? normalize) =>
        new() { PromptName = prompt, Dimensions = dimensions, Normalize = normalize };
}
