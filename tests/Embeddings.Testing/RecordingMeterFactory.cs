using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Embeddings.TestSupport;

/// <summary>An <see cref="IMeterFactory"/> whose meters are private to one test, with every measurement recorded.</summary>
internal sealed class RecordingMeterFactory : IMeterFactory
{
    private readonly ConcurrentQueue<Meter> _meters = new();
    private readonly ConcurrentQueue<Measurement> _measurements = new();
    private readonly MeterListener _listener = new();

    public RecordingMeterFactory()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter.Scope, this))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
            _measurements.Enqueue(new Measurement(instrument.Meter.Name, instrument.Name, value, tags.ToArray().ToDictionary(t => t.Key, t => t.Value))));
        _listener.Start();
    }

    public Meter Create(MeterOptions options)
    {
        var meter = new Meter(new MeterOptions(options.Name) { Version = options.Version, Tags = options.Tags, Scope = this });
        _meters.Enqueue(meter);
        return meter;
    }

    /// <summary>Sums the measurements of an instrument whose tags include all of <paramref name="tags"/>.</summary>
    public long Sum(string instrument, params (string Key, object? Value)[] tags) =>
        _measurements.Where(m => m.Instrument == instrument && tags.All(t => m.Tags.TryGetValue(t.Key, out object? v) && Equals(v, t.Value)))
            .Sum(m => m.Value);

    public IReadOnlyList<Measurement> Measurements => [.. _measurements];

    public void Dispose()
    {
        _listener.Dispose();
        while (_meters.TryDequeue(out Meter? meter))
        {
            meter.Dispose();
        }
    }

    internal sealed record Measurement(string Meter, string Instrument, long Value, Dictionary<string, object?> Tags);
}
