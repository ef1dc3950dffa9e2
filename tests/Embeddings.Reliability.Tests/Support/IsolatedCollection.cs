namespace Embeddings.Reliability.Support;

/// <summary>Tests that measure the process (RSS, timings under load) run alone: other tests' work would show in them.</summary>
[CollectionDefinition(nameof(IsolatedCollection), DisableParallelization = true)]
public sealed class IsolatedCollection;
