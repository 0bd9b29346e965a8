using System.Diagnostics.Metrics;
using ImageClassifier.Inference;

namespace ImageClassifier.Observability;

/// <summary>
/// The function's instruments, on one <see cref="Meter"/> named <see cref="TelemetryNames.MeterName"/>.
/// Prometheus sees them as <c>imageclassifier_*</c> (units and <c>_total</c> appended by the exporter).
/// </summary>
public sealed class FunctionMetrics
{
    /// <summary>Seconds: from a cached reply (sub-millisecond) to a slow fetch at its timeout.</summary>
    private static readonly double[] DurationBuckets =
        [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 15, 30];

    private readonly Counter<long> requests;
    private readonly Histogram<double> stageDuration;
    private readonly Counter<long> fetchAttempts;
    private readonly Counter<long> fetchRetries;
    private readonly Counter<long> fetchBytes;
    private readonly Counter<long> urlsRefused;
    private readonly UpDownCounter<long> activeRequests;
    private readonly Counter<long> shedRequests;
    private readonly Counter<long> duplicates;

    public FunctionMetrics(IMeterFactory meterFactory, IClassifier classifier)
    {
        var meter = meterFactory.Create(TelemetryNames.MeterName);
        requests = meter.CreateCounter<long>("imageclassifier.requests", "{request}",
            "Requests handled, by request form and status code; each event of a batch counts as one.");
        stageDuration = meter.CreateHistogram("imageclassifier.stage.duration", "s",
            "Time spent per stage of a request: fetch, preprocess (decode and tensor), inference, total.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
        fetchAttempts = meter.CreateCounter<long>("imageclassifier.fetch.attempts", "{attempt}",
            "HTTP requests sent to image hosts, first attempts and retries.");
        fetchRetries = meter.CreateCounter<long>("imageclassifier.fetch.retries", "{retry}",
            "HTTP requests to image hosts that repeated a failed attempt.");
        fetchBytes = meter.CreateCounter<long>("imageclassifier.fetch.downloaded", "By",
            "Image bytes downloaded.");
        urlsRefused = meter.CreateCounter<long>("imageclassifier.fetch.refused", "{url}",
            "Image URLs refused before or while connecting, by reason.");
        activeRequests = meter.CreateUpDownCounter<long>("imageclassifier.requests.active", "{request}",
            "Requests on POST / being handled now.");
        shedRequests = meter.CreateCounter<long>("imageclassifier.requests.shed", "{request}",
            "Requests refused with 503 before being read, by reason: overloaded, shutting-down, not-ready.");
        duplicates = meter.CreateCounter<long>("imageclassifier.requests.duplicate", "{request}",
            "CloudEvents answered from the duplicate cache, or by joining the same event already in flight.");
        meter.CreateObservableGauge("imageclassifier.model.info", () => ModelInfo(classifier), "{model}",
            "The model answering, as labels (name, sha256); the value is always 1.");
    }

    public void RecordRequest(string form, int status) =>
        requests.Add(1, new("form", form), new("status", status));

    public void RecordStage(Stage stage, TimeSpan elapsed) =>
        stageDuration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("stage", StageNames.Of(stage)));

    /// <summary>One HTTP request to an image host; <paramref name="retry"/> when it repeats a failed one.</summary>
    public void RecordFetchAttempt(bool retry)
    {
        fetchAttempts.Add(1);
        if (retry)
        {
            fetchRetries.Add(1);
        }
    }

    public void RecordBytesDownloaded(long bytes) => fetchBytes.Add(bytes);

    /// <summary>An image URL refused; <paramref name="reason"/> is one of <see cref="RefusalReason"/>'s values.</summary>
    public void RecordUrlRefused(string reason) => urlsRefused.Add(1, new KeyValuePair<string, object?>("reason", reason));

    /// <summary>Counts a request on POST / as in flight until the result is disposed.</summary>
    public ActiveRequest TrackActive()
    {
        activeRequests.Add(1);
        return new ActiveRequest(activeRequests);
    }

    /// <summary>
    /// A request refused with 503 before it was read. Admission control calls this with
    /// <see cref="ShedReason.Overloaded"/> when it turns a request away.
    /// </summary>
    public void RecordRequestShed(string reason) => shedRequests.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void RecordDuplicate() => duplicates.Add(1);

    private static IEnumerable<Measurement<long>> ModelInfo(IClassifier classifier) =>
        classifier.IsReady
            ? [new Measurement<long>(1, new("name", classifier.Model.Name), new("sha256", classifier.Model.Sha256))]
            : [];

    /// <summary>Takes a request off the in-flight count when disposed.</summary>
    public sealed class ActiveRequest(UpDownCounter<long> counter) : IDisposable
    {
        public void Dispose() => counter.Add(-1);
    }
}
