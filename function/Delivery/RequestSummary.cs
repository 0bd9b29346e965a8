using ImageClassifier.Observability;

namespace ImageClassifier.Delivery;

/// <summary>What the log line of one handled request says.</summary>
/// <param name="Form">How the request arrived: binary, structured, batch, json, image, or unknown when it could not be read.</param>
/// <param name="Status">The status code answered (for a batch entry, the status it would have had alone).</param>
/// <param name="Problem">The problem's slug, when the request failed.</param>
/// <param name="EventId">The CloudEvent's id, when the request was one.</param>
/// <param name="EventSource">The CloudEvent's source, when the request was one.</param>
/// <param name="UrlHost">The image URL's host (never the whole URL, which may carry tokens).</param>
/// <param name="Top1">The label of the most probable class, when there is a classification.</param>
/// <param name="Duplicate">The reply came from the duplicate cache or from the same event already in flight.</param>
/// <param name="Timings">The stage timings, when the request got as far as being handled.</param>
public sealed record RequestSummary(
    string Form,
    int Status,
    string? Problem = null,
    string? EventId = null,
    string? EventSource = null,
    string? UrlHost = null,
    string? Top1 = null,
    bool Duplicate = false,
    StageTimings? Timings = null);
