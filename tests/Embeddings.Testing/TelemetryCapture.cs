using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Embeddings.Diagnostics;

namespace Embeddings.TestSupport;

/// <summary>
/// Records every span (from every activity source) and every measurement on the <c>Embeddings</c> meter while it is
/// alive, with their tags, so tests can check what telemetry says and what it never says.
/// </summary>
internal sealed class TelemetryCapture : IDisposable
{
    private readonly ActivityListener _activities;
    private readonly MeterListener _meters;
    private readonly ConcurrentQueue<Activity> _spans = new();
    private readonly ConcurrentQueue<CapturedMeasurement> _measurements = new();

    public TelemetryCapture()
    {
        _activities = new ActivityListener
        {
            ShouldListenTo = _ => true,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _spans.Enqueue,
        };
        ActivitySource.AddActivityListener(_activities);

        _meters = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == EmbeddingsDiagnostics.MeterName)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        _meters.SetMeasurementEventCallback<long>((i, v, tags, _) => Add(i, v, tags));
        _meters.SetMeasurementEventCallback<double>((i, v, tags, _) => Add(i, v, tags));
        _meters.SetMeasurementEventCallback<int>((i, v, tags, _) => Add(i, v, tags));
        _meters.Start();
    }

    /// <summary>Gets the stopped spans.</summary>
    public IReadOnlyList<Activity> Spans => [.. _spans];

    /// <summary>Gets the measurements on the Embeddings meter.</summary>
    public IReadOnlyList<CapturedMeasurement> Measurements => [.. _measurements];

    /// <summary>Gets the measurements of one instrument whose model tag is <paramref name="modelId"/>.</summary>
    public IReadOnlyList<CapturedMeasurement> For(string instrument, string modelId) =>
        [.. _measurements.Where(m => m.Instrument == instrument && m.Tags.TryGetValue("gen_ai.request.model", out object? model) && Equals(model, modelId))];

    /// <summary>Collects the current values of observable instruments (gauges) as measurements.</summary>
    public void RecordObservableInstruments() => _meters.RecordObservableInstruments();

    /// <summary>Gets every span name, tag, event and status text and every measurement tag, joined.</summary>
    public string AllText => string.Join('\n',
        _spans.Select(a => $"{a.Source.Name} {a.DisplayName} {a.StatusDescription} {string.Join(' ', a.TagObjects.Select(t => $"{t.Key}={t.Value}"))} "
            + string.Join(' ', a.Events.Select(e => e.Name + string.Join(' ', e.Tags.Select(t => $"{t.Key}={t.Value}"))))))
        + '\n' + string.Join('\n', _measurements.Select(m => $"{m.Instrument} {m.Value} {string.Join(' ', m.Tags.Select(t => $"{t.Key}={t.Value}"))}"));

    public void Dispose()
    {
        _activities.Dispose();
        _meters.Dispose();
    }

    private void Add(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var dict = new Dictionary<string, object?>();
        foreach (KeyValuePair<string, object?> tag in tags)
        {
            dict[tag.Key] = tag.Value;
        }

        _measurements.Enqueue(new CapturedMeasurement(instrument.Name, value, dict));
    }
}
