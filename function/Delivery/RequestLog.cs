using System.Collections.Concurrent;
using ImageClassifier.Failures;
using ImageClassifier.Observability;

namespace ImageClassifier.Delivery;

/// <summary>
/// One structured log line per handled request (per event of a batch), with the fields of
/// <see cref="RequestSummary"/> as named properties, so the JSON console log can be queried.
/// Requests shed for the instance's state (<see cref="ProblemType.ShedsLoad"/>) are the exception:
/// they come as fast as callers resend, and a line each would make the log as large as the flood
/// and cost CPU the flood leaves short. Of those, one line per reason is written every
/// <see cref="ShedLineInterval"/>, with how many more were shed since; the
/// <c>imageclassifier.requests.shed</c> counter counts every one.
/// </summary>
public sealed class RequestLog(ILogger<RequestLog> logger, TimeProvider time)
{
    /// <summary>At most one line per shed reason in this time.</summary>
    public static readonly TimeSpan ShedLineInterval = TimeSpan.FromSeconds(1);

    // Keyed by problem slug: the few load-shedding types, never anything a caller sends.
    private readonly ConcurrentDictionary<string, ShedLines> shedLines = new(StringComparer.Ordinal);

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

    /// <summary>Logs a shed request, unless its reason had a line within <see cref="ShedLineInterval"/>.</summary>
    public void WriteShed(RequestSummary summary)
    {
        var lines = shedLines.GetOrAdd(summary.Problem ?? "", static (_, clock) => new ShedLines(clock), time);
        if (lines.TryTake(out var notLogged))
        {
            logger.Log(
                LogLevel.Warning,
                "{Form} request answered {Status} {Problem}, shed; {ShedNotLogged} more shed for the same reason since its last line",
                summary.Form,
                summary.Status,
                summary.Problem,
                notLogged);
        }
    }

    /// <summary>One shed reason's turn to log: the first request shed after the interval takes it, the rest are counted.</summary>
    private sealed class ShedLines(TimeProvider time)
    {
        private readonly long interval = (long)(ShedLineInterval.TotalSeconds * time.TimestampFrequency);
        private long nextLineAt = long.MinValue;
        private long notLogged;

        public bool TryTake(out long notLoggedSinceLast)
        {
            var now = time.GetTimestamp();
            var next = Volatile.Read(ref nextLineAt);
            if (now >= next && Interlocked.CompareExchange(ref nextLineAt, now + interval, next) == next)
            {
                notLoggedSinceLast = Interlocked.Exchange(ref notLogged, 0);
                return true;
            }

            Interlocked.Increment(ref notLogged);
            notLoggedSinceLast = 0;
            return false;
        }
    }
}
