namespace Embeddings.Composition;

/// <summary>
/// Why an input went on to the next provider: the failing provider's error kind (a
/// <see cref="RemoteFailureKind"/> or <see cref="EmbeddingInputError"/> name), or one of the reasons the fallback
/// provider finds itself. Short, fixed names, so they suit metric tags.
/// </summary>
internal static class FallbackReasons
{
    /// <summary>The provider's circuit was open, so it was not called.</summary>
    public const string CircuitOpen = nameof(RemoteFailureKind.CircuitOpen);

    /// <summary>The provider's vector had another dimension than the chain's.</summary>
    public const string DimensionMismatch = "DimensionMismatch";

    /// <summary>The provider broke its contract (a wrong number of results, a missing result).</summary>
    public const string InvalidResult = "InvalidResult";

    /// <summary>Gets the reason for an input that failed with <paramref name="error"/>.</summary>
    public static string Of(EmbeddingException error) => error switch
    {
        RemoteEmbeddingException remote => remote.Kind.ToString(),
        EmbeddingInputException input => input.Reason.ToString(),
        _ => error.GetType().Name,
    };

    /// <summary>Gets the reason for inputs whose call threw <paramref name="exception"/>.</summary>
    public static string Of(Exception exception) => exception.GetType().Name;
}
