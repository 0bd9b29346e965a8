using System.Diagnostics.Metrics;
using ImageClassifier.Observability;

namespace ImageClassifier.Hosting;

/// <summary>Requests refused at the door, as the <c>imageclassifier.requests.shed</c> counter.</summary>
public sealed class AdmissionMetrics
{
    private readonly Counter<long> shed;

    public AdmissionMetrics(IMeterFactory meterFactory) =>
        shed = meterFactory.Create(TelemetryNames.MeterName).CreateCounter<long>("imageclassifier.requests.shed", "{request}",
            "Requests refused with 503 before being read, by reason: overloaded, shutting-down, not-ready.");

    /// <summary>A request refused before it was read; <paramref name="reason"/> is the problem's slug.</summary>
    public void RecordShed(string reason) => shed.Add(1, new KeyValuePair<string, object?>("reason", reason));
}
