using System.Diagnostics.Metrics;

namespace ImageClassifier.MLflow;

/// <summary>What became of the predictions handed to tracking, as OpenTelemetry-ready counters.</summary>
public sealed class MLflowTrackingMetrics
{
    public const string MeterName = "ImageClassifier.MLflow";
    public const string DroppedCounterName = "imageclassifier.mlflow.dropped";
    public const string LoggedCounterName = "imageclassifier.mlflow.logged";

    /// <summary>Values of the <c>reason</c> tag of <see cref="DroppedCounterName"/>.</summary>
    public static class Reasons
    {
        public const string QueueFull = "queue_full";
        public const string Failed = "failed";
        public const string Shutdown = "shutdown";
    }

    private readonly Counter<long> _dropped;
    private readonly Counter<long> _logged;

    public MLflowTrackingMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _dropped = meter.CreateCounter<long>(DroppedCounterName, "{prediction}", "Predictions that were not logged to MLflow.");
        _logged = meter.CreateCounter<long>(LoggedCounterName, "{prediction}", "Predictions logged to MLflow as runs.");
    }

    public void Dropped(string reason, long count = 1) => _dropped.Add(count, new KeyValuePair<string, object?>("reason", reason));

    public void Logged() => _logged.Add(1);
}
