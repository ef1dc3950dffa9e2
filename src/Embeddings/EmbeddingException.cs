namespace Embeddings;

/// <summary>
/// The root of every error this library reports for an input or a provider. Catch it to handle "the library said
/// no" in one place; the derived types say why.
/// </summary>
/// <remarks>Messages name inputs by description (see <see cref="EmbeddingInput.ToString"/>), never by content, and
/// never contain credentials.</remarks>
public class EmbeddingException : Exception
{
    /// <summary>Creates an exception with a message.</summary>
    /// <param name="message">What went wrong.</param>
    public EmbeddingException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message and the failure that caused it.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The underlying failure.</param>
    public EmbeddingException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
