namespace Embeddings.AspNetCore.TestSupport;

/// <summary>Tests that change process-wide state (environment variables) or measure process-wide memory: they run
/// alone.</summary>
[CollectionDefinition(DisableParallelization = true)]
public sealed class IsolatedCollection;
