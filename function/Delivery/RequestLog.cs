using ImageClassifier.Observability;

namespace ImageClassifier.Delivery;

/// <summary>
/// One structured log line per handled request (per event of a batch), with the fields of
/// <see cref="RequestSummary"/> as named properties, so the JSON console log can be queried.
/// </summary>
public sealed class RequestLog(ILogger<RequestLog> logger)
{
    public void Write(RequestSummary summary, Exception? exception = null)
    {
        // A 5xx is ours or the image host's to look at; a 4xx was the caller's to fix.
        var level = summary.Status >= StatusCodes.Status500InternalServerError ? LogLevel.Warning : LogLevel.Information;
        var timings = summary.Timings;
        logger.Log(
            level,
            exception,
            "{Form} request answered {Status} {Problem}: event {EventId} from {EventSource}, image host {UrlHost}, top-1 {Top1}, duplicate {Duplicate}; fetch {FetchMs} ms, preprocess {PreprocessMs} ms, inference {InferenceMs} ms, total {TotalMs} ms",
            summary.Form,
            summary.Status,
            summary.Problem,
            summary.EventId,
            summary.EventSource,
            summary.UrlHost,
            summary.Top1,
            summary.Duplicate,
            timings?.Milliseconds(Stage.Fetch),
            timings?.Milliseconds(Stage.Preprocess),
            timings?.Milliseconds(Stage.Inference),
            timings?.Milliseconds(Stage.Total));
    }
}
