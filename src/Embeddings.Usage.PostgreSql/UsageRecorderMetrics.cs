using System.Diagnostics.Metrics;
using Embeddings.Diagnostics;

namespace Embeddings.Usage.PostgreSql;

/// <summary>The recorder's instruments on the <see cref="EmbeddingsDiagnostics.MeterName"/> meter.</summary>
internal sealed class UsageRecorderMetrics
{
    /// <summary>The instrument counting records written to the table.</summary>
    public const string WrittenName = "embeddings.usage.records.written";

    /// <summary>The instrument counting records that were not written.</summary>
    public const string DroppedName = "embeddings.usage.records.dropped";

    /// <summary>The tag naming why a record was dropped (one of the <c>*Reason</c> constants).</summary>
    public const string ReasonTag = "error.type";

    /// <summary>The tag naming the table.</summary>
    public const string TableTag = "db.collection.name";

    /// <summary>The queue was full while the database was reachable: calls outpace the writer.</summary>
    public const string QueueFullReason = "queue_full";

    /// <summary>The queue was full because the database has been unavailable.</summary>
    public const string DatabaseUnavailableReason = "database_unavailable";

    /// <summary>The database refused the record (schema, permissions, constraints).</summary>
    public const string RejectedReason = "rejected";

    /// <summary>The recorder stopped before the record was written.</summary>
    public const string ShutdownReason = "shutdown";

    // Used when no IMeterFactory is given; one per process, like the meters of Microsoft's own libraries.
    private static readonly Meter s_sharedMeter = new(EmbeddingsDiagnostics.MeterName);

    private readonly Counter<long> _written;
    private readonly Counter<long> _dropped;
    private readonly KeyValuePair<string, object?> _table;

    public UsageRecorderMetrics(IMeterFactory? meterFactory, string table)
    {
        Meter meter = meterFactory?.Create(EmbeddingsDiagnostics.MeterName) ?? s_sharedMeter;
        _written = meter.CreateCounter<long>(WrittenName, "{record}", "Usage records written to the database.");
        _dropped = meter.CreateCounter<long>(DroppedName, "{record}", "Usage records dropped: queue full, database unavailable or refusing them, or shutdown.");
        _table = new(TableTag, table);
    }

    public void Written(long count) => _written.Add(count, _table);

    public void Dropped(long count, string reason)
    {
        if (count > 0)
        {
            _dropped.Add(count, _table, new(ReasonTag, reason));
        }
    }
}
