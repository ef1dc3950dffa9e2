using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;

namespace Embeddings.AspNetCore.TestSupport;

/// <summary>
/// Listens to the server's instruments of one application (its <see cref="IMeterFactory"/>), so a test can wait until
/// requests are queued rather than sleep, and read batch sizes.
/// </summary>
internal sealed class ServerMeters : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<int> _batchSizes = new();
    private readonly ConcurrentDictionary<string, long> _rejections = new();
    private long _queued;

    public ServerMeters(IServiceProvider services)
    {
        object scope = services.GetRequiredService<IMeterFactory>();
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Scope == scope && instrument.Name.StartsWith("embeddings.server.", StringComparison.Ordinal))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            if (instrument.Name == ServerMetrics.QueuedInputsName)
            {
                Interlocked.Add(ref _queued, value);
            }
            else if (instrument.Name == ServerMetrics.RejectionsName)
            {
                foreach (KeyValuePair<string, object?> tag in tags)
                {
                    if (tag.Key == ServerMetrics.ReasonTag)
                    {
                        _rejections.AddOrUpdate((string)tag.Value!, value, (_, n) => n + value);
                    }
                }
            }
        });
        _listener.SetMeasurementEventCallback<int>((instrument, value, _, _) =>
        {
            if (instrument.Name == ServerMetrics.BatchSizeName)
            {
                _batchSizes.Enqueue(value);
            }
        });
        _listener.Start();
    }

    /// <summary>Gets the inputs waiting in the queue now.</summary>
    public long QueuedInputs => Interlocked.Read(ref _queued);

    /// <summary>Gets the size of every provider call made so far.</summary>
    public IReadOnlyList<int> BatchSizes => [.. _batchSizes];

    /// <summary>Gets how many requests were refused for a reason.</summary>
    public long Rejections(string reason) => _rejections.TryGetValue(reason, out long n) ? n : 0;

    /// <summary>Waits until exactly <paramref name="inputs"/> inputs are queued.</summary>
    public async Task WaitForQueuedAsync(long inputs)
    {
        for (int i = 0; i < 1000 && QueuedInputs != inputs; i++)
        {
            await Task.Delay(5, TestContext.Current.CancellationToken);
        }

        Assert.Equal(inputs, QueuedInputs);
    }

    public void Dispose() => _listener.Dispose();
}
