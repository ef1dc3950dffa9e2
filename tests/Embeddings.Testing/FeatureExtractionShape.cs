namespace Embeddings.TestSupport;

/// <summary>How <see cref="FaultInjectingServer"/>'s router route answers.</summary>
internal enum FeatureExtractionShape
{
    /// <summary>Pooled vectors, <c>[[f…], …]</c> (a sentence-transformers model).</summary>
    Pooled,

    /// <summary>Token-level vectors, <c>[[[f…], …], …]</c> (a plain transformers model); their mean is the vector.</summary>
    TokenLevel,

    /// <summary>For a single input, one flat vector <c>[f…]</c>.</summary>
    Flat,
}
