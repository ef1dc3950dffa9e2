using System.Numerics.Tensors;
using Embeddings;
using Embeddings.DependencyInjection;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.AI;

namespace WebApi;

/// <summary>The sample's own endpoints, built on the services <c>AddEmbeddings()</c> registers.</summary>
internal static class SimilarityEndpoints
{
    private const int MaxCandidates = 256;
    private const int MaxImages = 32;

    #region snippet: webapi-similar
    // POST /similar {"query": "...", "candidates": ["...", ...]}: the candidates, most similar first.
    // The text model, through Microsoft.Extensions.AI: any IEmbeddingGenerator would do here.
    public static async Task<IResult> SimilarTextsAsync(
        SimilarRequest request, IEmbeddingGenerator<string, Embedding<float>> generator, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.Query) || request.Candidates is not { Length: > 0 and <= MaxCandidates })
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["request"] = [$"Give a query and 1 to {MaxCandidates} candidates."],
            });
        }

        GeneratedEmbeddings<Embedding<float>> vectors = await generator.GenerateAsync([request.Query, .. request.Candidates], cancellationToken: cancellationToken);
        ReadOnlyMemory<float> query = vectors[0].Vector;
        Scored[] ranked = [.. request.Candidates
            .Select((text, i) => new Scored(text, TensorPrimitives.CosineSimilarity(query.Span, vectors[i + 1].Vector.Span), null))
            .OrderByDescending(s => s.Score)];
        return TypedResults.Ok(ranked);
    }
    #endregion

    #region snippet: webapi-images
    // POST /images/match?text=... with images as multipart files: each image's similarity to the text.
    // The visual model, keyed "image": it embeds images and the texts that search them.
    public static async Task<IResult> MatchImagesAsync(
        [FromQuery] string text,
        IFormFileCollection images,
        [FromKeyedServices(EmbeddingsServiceKeys.Image)] IEmbeddingProvider visual,
        CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(text) || images.Count is 0 or > MaxImages)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["request"] = [$"Give a text and 1 to {MaxImages} images."],
            });
        }

        var inputs = new List<EmbeddingInput> { EmbeddingInput.FromText(text) };
        foreach (IFormFile image in images)
        {
            using var buffer = new MemoryStream();
            await image.CopyToAsync(buffer, cancellationToken);
            inputs.Add(EmbeddingInput.FromImage(buffer.ToArray(), name: image.FileName));
        }

        // One result per input: an unreadable image gets its error, the others their scores.
        IReadOnlyList<EmbeddingResult> results = await visual.EmbedAsync(inputs, cancellationToken: cancellationToken);
        ReadOnlyMemory<float> query = results[0].Vector;
        Scored[] scored = [.. images.Select((image, i) => results[i + 1] is { Succeeded: true } result
            ? new Scored(image.FileName, TensorPrimitives.CosineSimilarity(query.Span, result.Vector.Span), null)
            : new Scored(image.FileName, null, results[i + 1].Error!.Message))];
        return TypedResults.Ok(scored);
    }
    #endregion
}
