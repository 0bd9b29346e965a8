using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;

namespace ImageClassifier.Tests.MLflow;

/// <summary>Sums the MLflow counters of one service provider (its meter factory), by reason.</summary>
public sealed class CounterRecorder : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, long> _totals = new(StringComparer.Ordinal);

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
            var reason = string.Empty;
            foreach (var tag in tags)
            {
                if (tag.Key == "reason")
                {
                    reason = tag.Value as string ?? string.Empty;
                }
            }

            _totals.AddOrUpdate(Key(instrument.Name, reason), value, (_, total) => total + value);
        });
        _listener.Start();
    }

    public long Dropped(string reason) => _totals.GetValueOrDefault(Key("imageclassifier.mlflow.dropped", reason));

    public long Logged => _totals.GetValueOrDefault(Key("imageclassifier.mlflow.logged", string.Empty));

    public void Dispose() => _listener.Dispose();

    private static string Key(string name, string reason) => name + "|" + reason;
}
