using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;

namespace ImageClassifier.Tests.Harness;

/// <summary>
/// Records the counters of one service provider (instruments made by its meter factory), so a
/// test sees only its own app's counts, and sums them by instrument and tags.
/// </summary>
public sealed class CounterRecorder : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<Measured> _measurements = new();
    private readonly ConcurrentQueue<Measured> _observed = new();
    private readonly Lock _observing = new();

    public CounterRecorder(IServiceProvider provider)
    {
        var factory = provider.GetRequiredService<IMeterFactory>();
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter.Scope, factory))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            var copied = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (var tag in tags)
            {
                copied[tag.Key] = tag.Value;
            }

            (instrument.IsObservable ? _observed : _measurements).Enqueue(new Measured(instrument.Name, copied, value));
        });
        _listener.Start();
    }

    /// <summary>The sum of <paramref name="instrument"/>'s measurements that carry every one of <paramref name="tags"/>.</summary>
    public long Total(string instrument, params (string Key, object Value)[] tags) =>
        _measurements
            .Where(measured => measured.Instrument == instrument
                && tags.All(tag => measured.Tags.TryGetValue(tag.Key, out var value) && Equals(value, tag.Value)))
            .Sum(measured => measured.Value);

    /// <summary>The sum of <paramref name="instrument"/>'s measurements with that <c>reason</c> tag.</summary>
    public long Total(string instrument, string reason) => Total(instrument, ("reason", reason));

    public long Dropped(string reason) => Total("imageclassifier.mlflow.dropped", reason);

    public long Logged => Total("imageclassifier.mlflow.logged");

    /// <summary>What an observable instrument (a gauge) reports now: its measurements' tags and values.</summary>
    public IReadOnlyList<(IReadOnlyDictionary<string, object?> Tags, long Value)> Observe(string instrument)
    {
        lock (_observing)
        {
            _observed.Clear();
            _listener.RecordObservableInstruments();
            return [.. _observed.Where(measured => measured.Instrument == instrument).Select(measured => (measured.Tags, measured.Value))];
        }
    }

    public void Dispose() => _listener.Dispose();

    private sealed record Measured(string Instrument, IReadOnlyDictionary<string, object?> Tags, long Value);
}
