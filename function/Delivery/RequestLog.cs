using System.Collections.Concurrent;
using ImageClassifier.Failures;
using ImageClassifier.Observability;

namespace ImageClassifier.Delivery;

/// <summary>
/// One structured log line per handled request (per event of a batch), with the fields of
/// <see cref="RequestSummary"/> as named properties, so the JSON console log can be queried.
/// Answers that cost the function next to nothing are the exception: refusals of what the
/// caller sent (4xx), requests shed for the instance's state (<see cref="ProblemType.ShedsLoad"/>)
/// and replies from the duplicate cache come as fast as a caller sends them, and a line each would
/// make the log as large as the flood and, once the log sink fell behind, stall the threads that
/// write them (docs/operating.md, "Logs"). Of those, one line per kind (status,
/// problem, duplicate) is written every <see cref="SampledLineInterval"/>, with how many more were
/// answered the same since; the <c>imageclassifier.requests</c> counters count every one.
/// </summary>
public sealed class RequestLog(ILogger<RequestLog> logger, TimeProvider time)
{
    /// <summary>At most one line per kind of cheap answer in this time.</summary>
    public static readonly TimeSpan SampledLineInterval = TimeSpan.FromSeconds(1);

    private const string LineTemplate =
        "{Form} request answered {Status} {Problem}: event {EventId} from {EventSource}, image host {UrlHost}, top-1 {Top1}, duplicate {Duplicate}; fetch {FetchMs} ms, preprocess {PreprocessMs} ms, inference {InferenceMs} ms, total {TotalMs} ms";

    private const string SampledLineTemplate = LineTemplate + "; {NotLogged} more answered the same since its last line";

    // Keyed by status, problem slug and duplicate: a few dozen from the catalogue, never anything a caller sends.
    private readonly ConcurrentDictionary<(int Status, string? Problem, bool Duplicate), LineTurn> turns = new();

    /// <summary>Logs a handled request; <paramref name="shed"/> says it was refused for the instance's state.</summary>
    public void Write(RequestSummary summary, Exception? exception = null, bool shed = false)
    {
        // A 5xx is ours or the image host's to look at; a 4xx was the caller's to fix.
        var level = summary.Status >= StatusCodes.Status500InternalServerError ? LogLevel.Warning : LogLevel.Information;
        if (!shed && !summary.Duplicate && summary.Status is < StatusCodes.Status400BadRequest or >= StatusCodes.Status500InternalServerError)
        {
            logger.Log(level, exception, LineTemplate, Fields(summary));
            return;
        }

        var turn = turns.GetOrAdd((summary.Status, summary.Problem, summary.Duplicate), static (_, clock) => new LineTurn(clock), time);
        if (turn.TryTake(out var notLogged))
        {
            logger.Log(level, exception, SampledLineTemplate, [.. Fields(summary), notLogged]);
        }
    }

    private static object?[] Fields(RequestSummary summary)
    {
        var timings = summary.Timings;
        return
        [
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
            timings?.Milliseconds(Stage.Total),
        ];
    }

    /// <summary>One kind's turn to log: the first answer after the interval takes it, the rest are counted.</summary>
    private sealed class LineTurn(TimeProvider time)
    {
        private readonly long interval = (long)(SampledLineInterval.TotalSeconds * time.TimestampFrequency);
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
