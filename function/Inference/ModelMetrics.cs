using System.Diagnostics.Metrics;
using ImageClassifier.Observability;

namespace ImageClassifier.Inference;

/// <summary>
/// The model's instruments: which model answers (<c>imageclassifier.model.info</c>, read from the
/// classifier at each scrape) and how each attempt to load one ended (<c>imageclassifier.model.refresh</c>).
/// </summary>
public sealed class ModelMetrics
{
    private readonly Counter<long> refreshes;

    public ModelMetrics(IMeterFactory meterFactory, IClassifier classifier)
    {
        var meter = meterFactory.Create(TelemetryNames.MeterName);
        meter.CreateObservableGauge("imageclassifier.model.info", () => Observe(classifier), "{model}",
            "The model answering, as labels (name, sha256); the value is always 1.");
        refreshes = meter.CreateCounter<long>("imageclassifier.model.refresh", "{load}",
            "Attempts to load a model, by outcome: loaded, or why it was not served.");
    }

    /// <summary>Values of the <c>outcome</c> tag of <c>imageclassifier.model.refresh</c>.</summary>
    public static class Outcomes
    {
        public const string Loaded = "loaded";
        public const string Failed = "failed";
    }

    public void RecordRefresh(string outcome) => refreshes.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    private static IEnumerable<Measurement<long>> Observe(IClassifier classifier) =>
        classifier.IsReady
            ? [new Measurement<long>(1, new("name", classifier.Model.Name), new("sha256", classifier.Model.Sha256))]
            : [];
}
