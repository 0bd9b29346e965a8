using System.Diagnostics.Metrics;
using ImageClassifier.Observability;

namespace ImageClassifier.Memory;

/// <summary>The budget's instruments: its size, what is reserved, and reservations refused.</summary>
public sealed class MemoryMetrics
{
    private readonly Meter meter;
    private readonly Counter<long> refused;

    public MemoryMetrics(IMeterFactory meterFactory)
    {
        meter = meterFactory.Create(TelemetryNames.MeterName);
        refused = meter.CreateCounter<long>("imageclassifier.memory.refused", "{reservation}",
            "Reservations refused, by reason: busy (503), too_large (413).");
    }

    /// <summary>Values of the <c>reason</c> tag of <c>imageclassifier.memory.refused</c>.</summary>
    public static class Reasons
    {
        /// <summary>The memory was not free within MEMORY_WAIT_SECONDS: 503.</summary>
        public const string Busy = "busy";

        /// <summary>More than the whole budget was asked for: 413.</summary>
        public const string TooLarge = "too_large";
    }

    public void RecordRefused(string reason) => refused.Add(1, new KeyValuePair<string, object?>("reason", reason));

    /// <summary>Publishes the budget's size and what is reserved from it, read at each scrape.</summary>
    public void Observe(Func<long> capacity, Func<long> reserved)
    {
        meter.CreateObservableGauge("imageclassifier.memory.budget", capacity, "By",
            "The memory budget for request bodies, downloads and decodes (0 until first used, once the model is loaded).");
        meter.CreateObservableGauge("imageclassifier.memory.reserved", reserved, "By", "Memory reserved from the budget now.");
    }
}
