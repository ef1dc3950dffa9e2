namespace Embeddings;

/// <summary>The inference runtime failed while running a model.</summary>
public sealed class EmbeddingInferenceException : EmbeddingException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="runtimeErrorCode">The runtime's error code (ONNX Runtime's <c>OrtErrorCode</c>).</param>
    /// <param name="message">The runtime's message, with context.</param>
    /// <param name="innerException">The underlying failure, if any.</param>
    public EmbeddingInferenceException(int runtimeErrorCode, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        RuntimeErrorCode = runtimeErrorCode;
    }

    /// <summary>Gets the runtime's error code (ONNX Runtime: 1 FAIL, 2 INVALID_ARGUMENT, 3 NO_SUCHFILE, 4 NO_MODEL,
    /// 5 ENGINE_ERROR, 6 RUNTIME_EXCEPTION, 7 INVALID_PROTOBUF, 8 MODEL_LOADED, 9 NOT_IMPLEMENTED, 10 INVALID_GRAPH,
    /// 11 EP_FAIL).</summary>
    public int RuntimeErrorCode { get; }
}
