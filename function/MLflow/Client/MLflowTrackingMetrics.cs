using System.Diagnostics.Metrics;

namespace ImageClassifier.MLflow.Client;

/// <summary>
/// What became of the predictions handed to tracking, and what the MLflow client refused of what
/// the server sent or named, as OpenTelemetry-ready counters.
/// </summary>
public sealed class MLflowTrackingMetrics
{
    public const string MeterName = "ImageClassifier.MLflow";
    public const string DroppedCounterName = "imageclassifier.mlflow.dropped";
    public const string LoggedCounterName = "imageclassifier.mlflow.logged";
    public const string RefusedCounterName = "imageclassifier.mlflow.refused";

    /// <summary>Values of the <c>reason</c> tag of <see cref="DroppedCounterName"/>.</summary>
    public static class Reasons
    {
        public const string QueueFull = "queue_full";
        public const string Failed = "failed";
        public const string Shutdown = "shutdown";
    }

    /// <summary>Values of the <c>reason</c> tag of <see cref="RefusedCounterName"/>.</summary>
    public static class RefusalReasons
    {
        /// <summary>An answer longer than its cap (MLFLOW_MAX_RESPONSE_BYTES, or a file's).</summary>
        public const string TooLarge = "too_large";

        /// <summary>An artifact listing with more entries than a model may have.</summary>
        public const string TooManyFiles = "too_many_files";

        /// <summary>A URL or redirect to an origin the operator did not name.</summary>
        public const string Origin = "origin";

        /// <summary>A model file larger than MODEL_MAX_BYTES, or than the free space of the cache's volume.</summary>
        public const string ModelTooLarge = "model_too_large";

        /// <summary>A registry load that took longer than MODEL_LOAD_TIMEOUT_SECONDS.</summary>
        public const string LoadTimeout = "load_timeout";
    }

    private readonly Counter<long> _dropped;
    private readonly Counter<long> _logged;
    private readonly Counter<long> _refused;

    public MLflowTrackingMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _dropped = meter.CreateCounter<long>(DroppedCounterName, "{prediction}", "Predictions that were not logged to MLflow.");
        _logged = meter.CreateCounter<long>(LoggedCounterName, "{prediction}", "Predictions logged to MLflow as runs.");
        _refused = meter.CreateCounter<long>(RefusedCounterName, "{refusal}", "MLflow answers, files and URLs refused by the client's limits.");
    }

    public void Dropped(string reason, long count = 1) => _dropped.Add(count, new KeyValuePair<string, object?>("reason", reason));

    public void Logged() => _logged.Add(1);

    public void Refused(string reason) => _refused.Add(1, new KeyValuePair<string, object?>("reason", reason));
}
