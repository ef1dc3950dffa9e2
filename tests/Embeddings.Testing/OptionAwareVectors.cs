using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.AI;

namespace Embeddings.TestSupport;

/// <summary>
/// Vectors for fake providers that depend on everything a real model's vector depends on (model, revision, prompt,
/// dimensions, normalization, content), so a cache that served a vector for the wrong key would be caught.
/// </summary>
internal static class OptionAwareVectors
{
    /// <summary>Creates a fake provider whose vectors are <see cref="For"/>.</summary>
    public static TestEmbeddingProvider Provider(string modelId = "test-model", string? revision = null, int dimensions = 8) =>
        Provider(new EmbeddingProviderMetadata(
            "test", modelId, dimensions, EmbeddingModalities.Text | EmbeddingModalities.Image, ["query", "document"], modelRevision: revision));

    /// <summary>Creates a fake provider with the given metadata whose vectors are <see cref="For"/>.</summary>
    public static TestEmbeddingProvider Provider(EmbeddingProviderMetadata metadata)
    {
        var provider = new TestEmbeddingProvider(metadata);
        provider.EmbedOne = (input, options) =>
            EmbeddingResult.Success(new Embedding<float>(For(metadata, input, options)) { ModelId = metadata.ModelId }, metadata.ProviderName);
        return provider;
    }

    /// <summary>The vector of an input; streams and files are read.</summary>
    public static float[] For(EmbeddingProviderMetadata metadata, EmbeddingInput input, EmbeddingRequestOptions? options)
    {
        int dimensions = options?.Dimensions ?? metadata.Dimensions;
        string prompt = input.Modality == EmbeddingModalities.Text ? options?.PromptName ?? "-" : "-";
        string seed = $"{metadata.ModelId}|{metadata.ModelRevision}|{prompt}|{dimensions}|{options?.Normalize ?? true}|{Content(input)}";
        byte[] hash = SHA256.HashData(Encoding.UTF8.GetBytes(seed));
        float[] vector = new float[dimensions];
        for (int i = 0; i < dimensions; i++)
        {
            vector[i] = (hash[i % hash.Length] - 128) / 16f + (i / 1000f);
        }

        return vector;
    }

    /// <summary>Describes an input's content; the three ways of giving encoded bytes describe equally.</summary>
    public static string Content(EmbeddingInput input) => input.Kind switch
    {
        EmbeddingInputKind.Text => "text:" + input.Text,
        EmbeddingInputKind.ImageBytes => "image:" + Hash(input.ImageBytes.Span),
        EmbeddingInputKind.ImageFile => "image:" + Hash(File.ReadAllBytes(input.FilePath!)),
        EmbeddingInputKind.ImageStream => "image:" + Hash(ReadAll(input.ImageStream!)),
        EmbeddingInputKind.ImagePixels => $"pixels:{input.Pixels!.Width}x{input.Pixels.Height}:{Hash(input.Pixels.Pixels.Span)}",
        _ => throw new ArgumentOutOfRangeException(nameof(input)),
    };

    private static string Hash(ReadOnlySpan<byte> bytes) => Convert.ToHexString(SHA256.HashData(bytes));

    private static byte[] ReadAll(Stream stream)
    {
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
