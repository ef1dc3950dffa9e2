namespace Embeddings.DependencyInjection;

/// <summary>
/// The service keys under which providers are registered as keyed <see cref="IEmbeddingProvider"/> services, so that a
/// host can serve a text model and an image model side by side.
/// </summary>
/// <remarks>Consumers look a keyed provider up first and fall back to the unkeyed <see cref="IEmbeddingProvider"/>
/// when none is registered under the key.</remarks>
public static class EmbeddingsServiceKeys
{
    /// <summary>The key of the provider that embeds texts: <c>text</c>.</summary>
    public const string Text = "text";

    /// <summary>The key of the provider that embeds images: <c>image</c>.</summary>
    public const string Image = "image";
}
