namespace Embeddings.AspNetCore;

/// <summary>A parsed request, or why the body was refused.</summary>
internal readonly record struct ParseResult(EmbeddingRequest? Request, ApiError? Error)
{
    public static implicit operator ParseResult(EmbeddingRequest request) => new(request, null);

    public static implicit operator ParseResult(ApiError error) => new(null, error);
}
