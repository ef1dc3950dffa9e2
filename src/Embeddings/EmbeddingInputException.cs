namespace Embeddings;

/// <summary>One input could not be embedded because of its content; the rest of its batch is unaffected.</summary>
public sealed class EmbeddingInputException : EmbeddingException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="reason">Why the input was refused.</param>
    /// <param name="inputDescription">A description of the input without its content, for example <c>image file 'a.jpg'</c>.</param>
    /// <param name="detail">What is wrong with it.</param>
    /// <param name="innerException">The underlying failure, if any.</param>
    public EmbeddingInputException(EmbeddingInputError reason, string inputDescription, string detail, Exception? innerException = null)
        : base($"{Capitalize(inputDescription)}: {detail}", innerException)
    {
        Reason = reason;
        InputDescription = inputDescription;
    }

    /// <summary>Gets why the input was refused.</summary>
    public EmbeddingInputError Reason { get; }

    /// <summary>Gets the description of the input (never its content).</summary>
    public string InputDescription { get; }

    private static string Capitalize(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..];
}
