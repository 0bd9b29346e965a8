using System.Diagnostics.Metrics;
using ImageClassifier.Observability;

namespace ImageClassifier.Delivery;

/// <summary>The lifecycle's instruments: requests answered, requests in progress, duplicates answered from memory.</summary>
public sealed class RequestMetrics
{
    private readonly Counter<long> requests;
    private readonly UpDownCounter<long> active;
    private readonly Counter<long> duplicates;
    private readonly Counter<long> duplicateConflicts;

    public RequestMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(TelemetryNames.MeterName);
        requests = meter.CreateCounter<long>("imageclassifier.requests", "{request}",
            "Requests handled, by request form and status code; each event of a batch counts as one.");
        active = meter.CreateUpDownCounter<long>("imageclassifier.requests.active", "{request}",
            "Requests being handled now, on every entry point.");
        duplicates = meter.CreateCounter<long>("imageclassifier.requests.duplicate", "{request}",
            "CloudEvents answered from the duplicate cache, or by joining the same event already in flight.");
        duplicateConflicts = meter.CreateCounter<long>("imageclassifier.requests.duplicate_conflicts", "{request}",
            "CloudEvents whose source and id were known asking for another image or top-k: handled as new, never answered from the cache.");
    }

    public void RecordRequest(string form, int status) => requests.Add(1, new("form", form), new("status", status));

    public void RecordDuplicate() => duplicates.Add(1);

    public void RecordDuplicateConflict() => duplicateConflicts.Add(1);

    /// <summary>Counts a request as in progress until the result is disposed.</summary>
    public ActiveRequest TrackActive()
    {
        active.Add(1);
        return new ActiveRequest(active);
    }

    /// <summary>Takes a request off the in-progress count when disposed.</summary>
    public sealed class ActiveRequest(UpDownCounter<long> counter) : IDisposable
    {
        public void Dispose() => counter.Add(-1);
    }
}
