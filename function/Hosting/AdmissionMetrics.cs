using System.Diagnostics.Metrics;
using ImageClassifier.Observability;

namespace ImageClassifier.Hosting;

/// <summary>
/// Requests refused at the door, as the <c>imageclassifier.requests.shed</c> counter, and bodies
/// being received, as the <c>imageclassifier.requests.receiving</c> gauge.
/// </summary>
public sealed class AdmissionMetrics
{
    private readonly Counter<long> shed;
    private readonly UpDownCounter<long> receiving;

    public AdmissionMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(TelemetryNames.MeterName);
        shed = meter.CreateCounter<long>("imageclassifier.requests.shed", "{request}",
            "Requests refused with 503 at the door, by reason: overloaded, too-many-uploads, shutting-down, not-ready.");
        receiving = meter.CreateUpDownCounter<long>("imageclassifier.requests.receiving", "{request}",
            "Requests whose body is arriving now; they hold no classification slot (MAX_CONCURRENT_BODY_READS bounds them).");
    }

    /// <summary>A request refused at the door; <paramref name="reason"/> is the problem's slug.</summary>
    public void RecordShed(string reason) => shed.Add(1, new KeyValuePair<string, object?>("reason", reason));

    /// <summary>A body starts (+1) or stops (-1) arriving.</summary>
    public void RecordReceiving(int change) => receiving.Add(change);
}
