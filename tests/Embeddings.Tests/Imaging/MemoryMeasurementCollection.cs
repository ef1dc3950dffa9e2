namespace Embeddings.Imaging;

/// <summary>Tests that measure the process's memory run alone: other tests' allocations would show in the RSS.</summary>
[CollectionDefinition(nameof(MemoryMeasurementCollection), DisableParallelization = true)]
public sealed class MemoryMeasurementCollection
{
}
