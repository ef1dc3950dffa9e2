namespace Embeddings.Onnx;

/// <summary>How ONNX Runtime schedules independent nodes of a graph (its <c>ExecutionMode</c>).</summary>
public enum OnnxExecutionMode
{
    /// <summary>One node at a time; each node may use the intra-op threads. Best for the encoder models this library
    /// runs.</summary>
    Sequential = 0,

    /// <summary>Independent branches run at the same time on the inter-op threads.</summary>
    Parallel = 1,
}
