using System.Diagnostics.Metrics;
using ImageClassifier.Observability;

namespace ImageClassifier.Inference;

/// <summary>
/// The model's instruments: which model answers (<c>imageclassifier.model.info</c>, read from the
/// classifier at each scrape, so it follows a swap), how many sessions are open
/// (<c>imageclassifier.model.sessions</c>: two only during a swap) and how each attempt to load
/// one ended (<c>imageclassifier.model.refresh</c>).
/// </summary>
public sealed class ModelMetrics
{
    private readonly Counter<long> refreshes;

    public ModelMetrics(IMeterFactory meterFactory, IClassifier classifier, OnnxClassifier sessions)
    {
        var meter = meterFactory.Create(TelemetryNames.MeterName);
        meter.CreateObservableGauge("imageclassifier.model.info", () => Observe(classifier), "{model}",
            "The model answering, as labels (name, version, sha256); the value is always 1.");
        meter.CreateObservableGauge("imageclassifier.model.sessions", () => (long)sessions.OpenSessions, "{session}",
            "ONNX Runtime sessions open: 1, or 2 while a new model is loaded beside the one serving and until the old one's last request ends.");
        refreshes = meter.CreateCounter<long>("imageclassifier.model.refresh", "{load}",
            "Attempts to load a model, by outcome: loaded, swapped, or why the model was not served.");
    }

    /// <summary>Values of the <c>outcome</c> tag of <c>imageclassifier.model.refresh</c>.</summary>
    public static class Outcomes
    {
        /// <summary>The model of the start-up loaded.</summary>
        public const string Loaded = "loaded";

        /// <summary>The start-up model could not be loaded; the process stops.</summary>
        public const string Failed = "failed";

        /// <summary>A new version was loaded, checked and swapped in.</summary>
        public const string Swapped = "swapped";

        /// <summary>The registry could not be asked which version to serve (connection, timeout, 5xx, 429).</summary>
        public const string RegistryUnreachable = "registry_unreachable";

        /// <summary>The registry answered, but not with a version to serve (the alias or model is gone, credentials refused).</summary>
        public const string RegistryRefused = "registry_refused";

        /// <summary>The files could not be downloaded within the size and time limits.</summary>
        public const string DownloadFailed = "download_failed";

        /// <summary>The file's SHA-256 is not the one downloaded (changed on disk, or a corrupt cache).</summary>
        public const string HashMismatch = "hash_mismatch";

        /// <summary>The file does not open as an ONNX model, or its inputs, outputs or labels do not fit.</summary>
        public const string InvalidModel = "invalid_model";

        /// <summary>The built-in image did not give finite probabilities that sum to 1.</summary>
        public const string BadOutput = "bad_output";

        /// <summary>The memory for a second session was not free in the memory budget.</summary>
        public const string NoMemory = "no_memory";
    }

    public void RecordRefresh(string outcome) => refreshes.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    private static IEnumerable<Measurement<long>> Observe(IClassifier classifier) =>
        classifier.IsReady && classifier.Model is var model
            ? [new Measurement<long>(1, new("name", model.Name), new("version", model.Version ?? string.Empty), new("sha256", model.Sha256))]
            : [];
}
