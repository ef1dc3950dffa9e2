namespace Embeddings;

/// <summary>A native library the library needs (ONNX Runtime, libvips) was not found or is not usable.</summary>
public sealed class NativeLibraryException : EmbeddingException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="libraryName">The library, for example <c>onnxruntime</c>.</param>
    /// <param name="searched">Every location that was tried, in order.</param>
    /// <param name="message">What is wrong and how to fix it.</param>
    /// <param name="innerException">The underlying failure, if any.</param>
    public NativeLibraryException(string libraryName, IReadOnlyList<string> searched, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        LibraryName = libraryName;
        Searched = searched;
    }

    /// <summary>Gets the library name.</summary>
    public string LibraryName { get; }

    /// <summary>Gets every location that was tried, in order.</summary>
    public IReadOnlyList<string> Searched { get; }
}
