using System.Diagnostics.Metrics;
using Embeddings.Diagnostics;

namespace Embeddings.Composition;

/// <summary>The cache's instruments on the <see cref="EmbeddingsDiagnostics.MeterName"/> meter.</summary>
internal sealed class EmbeddingCacheMetrics
{
    /// <summary>The instrument counting lookups that found a usable vector.</summary>
    public const string HitsName = "embeddings.cache.hits";

    /// <summary>The instrument counting lookups that did not (absent, unusable, failed, skipped).</summary>
    public const string MissesName = "embeddings.cache.misses";

    /// <summary>The instrument counting failed or skipped cache operations and unusable values.</summary>
    public const string ErrorsName = "embeddings.cache.errors";

    /// <summary>The instrument counting value bytes read from and written to the cache.</summary>
    public const string ValueBytesName = "embeddings.cache.value_bytes";

    /// <summary>The tag naming the backend: <c>memory</c> or <c>distributed</c>.</summary>
    public const string BackendTag = "cache.backend";

    /// <summary>The tag naming the operation: <c>read</c> or <c>write</c>.</summary>
    public const string OperationTag = "cache.operation";

    /// <summary>The tag naming what went wrong: <c>timeout</c>, <c>corrupt_value</c>, <c>circuit_open</c>, or an
    /// exception type.</summary>
    public const string ErrorTypeTag = "error.type";

    // Used when no IMeterFactory is given; one per process, like the meters of Microsoft's own libraries.
    private static readonly Meter s_sharedMeter = new(EmbeddingsDiagnostics.MeterName);

    private readonly Counter<long> _hits;
    private readonly Counter<long> _misses;
    private readonly Counter<long> _errors;
    private readonly Counter<long> _valueBytes;
    private readonly KeyValuePair<string, object?> _backend;

    public EmbeddingCacheMetrics(IMeterFactory? meterFactory, string backend)
    {
        Meter meter = meterFactory?.Create(EmbeddingsDiagnostics.MeterName) ?? s_sharedMeter;
        _hits = meter.CreateCounter<long>(HitsName, "{lookup}", "Cache lookups that found a usable vector.");
        _misses = meter.CreateCounter<long>(MissesName, "{lookup}", "Cache lookups that found no usable vector.");
        _errors = meter.CreateCounter<long>(ErrorsName, "{error}", "Cache operations that failed, timed out or were skipped, and unusable values.");
        _valueBytes = meter.CreateCounter<long>(ValueBytesName, "By", "Value bytes read from and written to the cache.");
        _backend = new(BackendTag, backend);
    }

    public void Hit() => _hits.Add(1, _backend);

    public void Miss() => _misses.Add(1, _backend);

    public void Error(string operation, string errorType) =>
        _errors.Add(1, _backend, new(OperationTag, operation), new(ErrorTypeTag, errorType));

    public void ValueBytes(string operation, int bytes)
    {
        if (bytes > 0)
        {
            _valueBytes.Add(bytes, _backend, new(OperationTag, operation));
        }
    }
}
