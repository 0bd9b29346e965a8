using System.Diagnostics.Metrics;
using ImageClassifier.Observability;

namespace ImageClassifier.Fetching;

/// <summary>The fetcher's instruments: attempts, retries, bytes downloaded and URLs refused.</summary>
public sealed class FetchMetrics
{
    private readonly Counter<long> attempts;
    private readonly Counter<long> retries;
    private readonly Counter<long> downloaded;
    private readonly Counter<long> refused;

    public FetchMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(TelemetryNames.MeterName);
        attempts = meter.CreateCounter<long>("imageclassifier.fetch.attempts", "{attempt}",
            "HTTP requests sent to image hosts, first attempts and retries.");
        retries = meter.CreateCounter<long>("imageclassifier.fetch.retries", "{retry}",
            "HTTP requests to image hosts that repeated a failed attempt.");
        downloaded = meter.CreateCounter<long>("imageclassifier.fetch.downloaded", "By",
            "Image bytes downloaded.");
        refused = meter.CreateCounter<long>("imageclassifier.fetch.refused", "{url}",
            "Image URLs refused before or while connecting, by reason.");
    }

    /// <summary>One HTTP request to an image host; <paramref name="retry"/> when it repeats a failed one.</summary>
    public void RecordAttempt(bool retry)
    {
        attempts.Add(1);
        if (retry)
        {
            retries.Add(1);
        }
    }

    public void RecordDownloaded(long bytes) => downloaded.Add(bytes);

    /// <summary>An image URL refused; <paramref name="reason"/> is one of <see cref="RefusalReason"/>'s values.</summary>
    public void RecordRefused(string reason) => refused.Add(1, new KeyValuePair<string, object?>("reason", reason));
}
