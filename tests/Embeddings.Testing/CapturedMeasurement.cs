namespace Embeddings.TestSupport;

/// <summary>One measurement captured by <see cref="TelemetryCapture"/>.</summary>
internal sealed record CapturedMeasurement(string Instrument, double Value, IReadOnlyDictionary<string, object?> Tags);
