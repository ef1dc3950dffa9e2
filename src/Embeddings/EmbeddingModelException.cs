namespace Embeddings;

/// <summary>A model could not be loaded or used: a missing file, an unsupported layout, a tokenizer feature this
/// library does not implement, or an option the model does not support.</summary>
public sealed class EmbeddingModelException : EmbeddingException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="model">The model folder, file or id concerned.</param>
    /// <param name="message">What is wrong.</param>
    /// <param name="innerException">The underlying failure, if any.</param>
    public EmbeddingModelException(string model, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Model = model;
    }

    /// <summary>Gets the model folder, file or id concerned.</summary>
    public string Model { get; }
}
