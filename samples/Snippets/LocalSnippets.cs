using System.Numerics.Tensors;
using Embeddings;
using Embeddings.Local;
using Microsoft.Extensions.AI;

namespace Snippets;

/// <summary>Using a local model without dependency injection.</summary>
internal static class LocalSnippets
{
    public static async Task QuickStartAsync()
    {
        #region snippet: local-quick-start
        // A SigLIP / SigLIP2 / CLIP export in the Hugging Face ONNX layout: a folder, or a hub id (downloaded once).
        using LocalOnnxProvider provider = await LocalOnnxProvider.CreateAsync("models/siglip2-base-patch16-224");

        ReadOnlyMemory<float> photo = await provider.EmbedImageFileAsync("photos/beach.jpg");
        ReadOnlyMemory<float> query = await provider.EmbedTextAsync("a dog running on a beach");

        float similarity = TensorPrimitives.CosineSimilarity(photo.Span, query.Span);
        #endregion
        _ = similarity;
    }

    public static async Task BatchAsync(LocalOnnxProvider provider)
    {
        #region snippet: local-batch
        IReadOnlyList<EmbeddingResult> results = await provider.EmbedAsync(
        [
            EmbeddingInput.FromImageFile("photos/beach.jpg"),
            EmbeddingInput.FromImageFile("photos/truncated.jpg"),
            EmbeddingInput.FromText("a red bicycle"),
        ]);

        // One result per input, in order: a bad input fails alone.
        foreach (EmbeddingResult result in results)
        {
            if (result.Succeeded)
            {
                Store(result.Vector);
            }
            else
            {
                // "Image file 'photos/truncated.jpg': the image data is damaged or truncated (...)": an EmbeddingInputException.
                Console.WriteLine(result.Error!.Message);
            }
        }
        #endregion
    }

    public static async Task TextModelAsync()
    {
        #region snippet: local-text-model
        // EmbeddingGemma (sentence-transformers layout): prompts and Matryoshka dimensions from its configuration.
        using LocalOnnxProvider gemma = await LocalOnnxProvider.CreateAsync("onnx-community/embeddinggemma-300m-ONNX");

        ReadOnlyMemory<float> query = await gemma.EmbedTextAsync(
            "how do I reset my password?", new EmbeddingRequestOptions { PromptName = "query", Dimensions = 256 });
        ReadOnlyMemory<float> passage = await gemma.EmbedTextAsync(
            "To reset your password, open Settings > Account.", new EmbeddingRequestOptions { PromptName = "document", Dimensions = 256 });
        #endregion
        _ = (query, passage);
    }

    public static async Task GeneratorAsync(LocalOnnxProvider provider)
    {
        #region snippet: local-generator
        // Any provider is also a Microsoft.Extensions.AI embedding generator (texts, and images as DataContent).
        IEmbeddingGenerator<string, Embedding<float>> texts = provider.AsEmbeddingGenerator();
        GeneratedEmbeddings<Embedding<float>> embeddings = await texts.GenerateAsync(["first text", "second text"]);

        IEmbeddingGenerator<DataContent, Embedding<float>> images = provider.AsImageEmbeddingGenerator();
        Embedding<float> photo = await images.GenerateAsync(new DataContent(await File.ReadAllBytesAsync("photos/beach.jpg"), "image/jpeg"));
        #endregion
        _ = (embeddings, photo);
    }

    private static void Store(ReadOnlyMemory<float> vector) => _ = vector;
}
