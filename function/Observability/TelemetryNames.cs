namespace ImageClassifier.Observability;

/// <summary>The names under which the function's own telemetry is published.</summary>
public static class TelemetryNames
{
    /// <summary>The service name in traces and exported metrics (OTEL_SERVICE_NAME overrides it).</summary>
    public const string ServiceName = "image-classifier";

    /// <summary>The <see cref="System.Diagnostics.Metrics.Meter"/> each feature's instruments are on.</summary>
    public const string MeterName = "ImageClassifier";

    /// <summary>Meters a feature keeps apart, such as <c>ImageClassifier.MLflow</c>.</summary>
    public const string FeatureMeterNames = MeterName + ".*";

    /// <summary>
    /// The runtime's own meter: collections, allocated bytes and pause time, thread-pool queue and
    /// threads. A garbage collector kept busy by a flood is visible on /metrics this way.
    /// </summary>
    public const string RuntimeMeterName = "System.Runtime";

    /// <summary>The <see cref="System.Diagnostics.ActivitySource"/> of the request and stage spans.</summary>
    public const string ActivitySourceName = "ImageClassifier";
}
