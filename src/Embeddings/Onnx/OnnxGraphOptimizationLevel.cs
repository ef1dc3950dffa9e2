namespace Embeddings.Onnx;

/// <summary>How much ONNX Runtime rewrites a model's graph before running it (its <c>GraphOptimizationLevel</c>).</summary>
public enum OnnxGraphOptimizationLevel
{
    /// <summary>No rewriting.</summary>
    Disabled = 0,

    /// <summary>Semantics-preserving rewrites that work on every execution provider (constant folding, redundant node
    /// removal).</summary>
    Basic = 1,

    /// <summary>Basic plus fusions of common subgraphs (attention, layer normalization, GELU).</summary>
    Extended = 2,

    /// <summary>Extended plus memory-layout changes for the CPU.</summary>
    Layout = 3,

    /// <summary>Everything ONNX Runtime offers (its default).</summary>
    All = 99,
}
