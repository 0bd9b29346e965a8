using System.Diagnostics.Metrics;
using ImageClassifier.Observability;

namespace ImageClassifier.Edge;

/// <summary>JSON bodies refused by the scan before they were parsed, as the <c>imageclassifier.requests.json_refused</c> counter.</summary>
public sealed class JsonScanMetrics
{
    private readonly Counter<long> refused;

    public JsonScanMetrics(IMeterFactory meterFactory) =>
        refused = meterFactory.Create(TelemetryNames.MeterName).CreateCounter<long>("imageclassifier.requests.json_refused", "{request}",
            "JSON bodies refused before they were parsed, by the limit they broke: depth, array_values, object_members, string_bytes, "
            + "events, envelope (POST /); inputs, outputs, shape_rank, data_length (the v2 infer).");

    /// <summary>A body refused by the scan; <paramref name="reason"/> names the limit.</summary>
    public void RecordRefused(string reason) => refused.Add(1, new KeyValuePair<string, object?>("reason", reason));
}
