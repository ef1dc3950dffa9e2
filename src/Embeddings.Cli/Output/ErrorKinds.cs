namespace Embeddings.Cli.Output;

/// <summary>The <c>type</c> written in error lines: the input error's reason (<c>Corrupt</c>, <c>Unreadable</c>,
/// <c>UnsupportedFormat</c>, ...) or the kind of failure (<c>Inference</c>, <c>Remote</c>, <c>Model</c>, ...).</summary>
internal static class ErrorKinds
{
    /// <summary>Rethrows an error that is not about one input (the runtime or the model cannot load): it fails the
    /// command (exit code 3 or 1) instead of being written as every input's error (exit code 2).</summary>
    public static void ThrowIfNotAboutTheInput(EmbeddingException? error)
    {
        if (error is NativeLibraryException or EmbeddingModelException)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(error);
        }
    }

    public static string Of(Exception error) => error switch
    {
        EmbeddingInputException input => input.Reason.ToString(),
        EmbeddingInferenceException => "Inference",
        RemoteEmbeddingException => "Remote",
        EmbeddingModelException => "Model",
        NativeLibraryException => "NativeLibrary",
        EmbeddingException => "Embedding",
        OperationCanceledException => "Cancelled",
        _ => "Error",
    };
}
