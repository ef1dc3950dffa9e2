namespace Embeddings.Cli.Output;

/// <summary>The <c>type</c> written in error lines: the input error's reason (<c>Corrupt</c>, <c>Unreadable</c>,
/// <c>UnsupportedFormat</c>, ...) or the kind of failure (<c>Inference</c>, <c>Remote</c>, <c>Model</c>, ...).</summary>
internal static class ErrorKinds
{
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
