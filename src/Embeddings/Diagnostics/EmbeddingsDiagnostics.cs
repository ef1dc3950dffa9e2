namespace Embeddings.Diagnostics;

/// <summary>Names under which the library publishes metrics and traces.</summary>
public static class EmbeddingsDiagnostics
{
    /// <summary>The name of the <see cref="System.Diagnostics.Metrics.Meter"/> every instrument is created on.</summary>
    public const string MeterName = "Embeddings";

    /// <summary>The name of the <see cref="System.Diagnostics.ActivitySource"/> every span is started from.</summary>
    public const string ActivitySourceName = "Embeddings";
}
