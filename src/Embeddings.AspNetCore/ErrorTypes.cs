namespace Embeddings.AspNetCore;

/// <summary>The error categories of error answers: TEI's names, plus the ones TEI has no need for.</summary>
internal static class ErrorTypes
{
    public const string Validation = "Validation";
    public const string Empty = "Empty";
    public const string PayloadTooLarge = "PayloadTooLarge";
    public const string Unauthorized = "Unauthorized";
    public const string Overloaded = "Overloaded";
    public const string Unhealthy = "Unhealthy";
    public const string Backend = "Backend";
    public const string NotFound = "NotFound";
    public const string UnsupportedMediaType = "UnsupportedMediaType";
}
