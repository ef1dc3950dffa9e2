namespace Embeddings.Remote.Wire;

/// <summary>A TEI-style error body: <c>{"error": "...", "error_type": "..."}</c>.</summary>
internal sealed class RemoteErrorResponse
{
    /// <summary>Gets the message (never containing inputs or credentials).</summary>
    public required string Error { get; init; }

    /// <summary>Gets the error category, for example <c>Validation</c> or <c>Overloaded</c>.</summary>
    public string? ErrorType { get; init; }
}
