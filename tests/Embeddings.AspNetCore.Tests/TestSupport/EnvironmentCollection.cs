namespace Embeddings.AspNetCore.TestSupport;

/// <summary>Tests that change process-wide environment variables: they run alone.</summary>
[CollectionDefinition(DisableParallelization = true)]
public sealed class EnvironmentCollection;
