using System.Diagnostics.Metrics;

namespace ImageClassifier.Observability;

/// <summary>
/// Times the stages of the request being handled: the request lifecycle <see cref="Begin"/>s a
/// request and the function wraps each stage in <see cref="Start"/>; a stage outside a request
/// is not recorded. The request's timings travel with its async flow, so the concurrent events of
/// a batch each keep their own. Every stage is also a child span and a sample of the
/// <c>imageclassifier.stage.duration</c> histogram.
/// </summary>
public sealed class StageRecorder
{
    /// <summary>Seconds: from a cached reply (sub-millisecond) to a slow fetch at its timeout.</summary>
    private static readonly double[] DurationBuckets =
        [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 15, 30];

    private readonly AsyncLocal<StageTimings?> current = new();
    private readonly FunctionTracing tracing;
    private readonly TimeProvider timeProvider;
    private readonly Histogram<double> duration;

    public StageRecorder(IMeterFactory meterFactory, FunctionTracing tracing, TimeProvider timeProvider)
    {
        this.tracing = tracing;
        this.timeProvider = timeProvider;
        duration = meterFactory.Create(TelemetryNames.MeterName).CreateHistogram("imageclassifier.stage.duration", "s",
            "Time spent per stage of a request: fetch, preprocess (decode and tensor), inference, total.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
    }

    /// <summary>Starts collecting a request's timings, in this async flow and in those it starts.</summary>
    public StageTimings Begin()
    {
        var timings = new StageTimings(timeProvider.GetTimestamp());
        current.Value = timings;
        return timings;
    }

    /// <summary>
    /// Starts timing a stage of the request begun in this flow, with a child span of its span;
    /// dispose to end it. Outside a request (the start-up warm-up) nothing is timed or traced, and
    /// null is returned: no caller waited for that work, and its cold timings would read as theirs.
    /// </summary>
    public StageScope? Start(Stage stage) =>
        current.Value is null ? null : new(this, stage, timeProvider.GetTimestamp(), tracing.StartStage(stage));

    /// <summary>Ends a request begun with <see cref="Begin"/>: its total time.</summary>
    public void Finish(StageTimings timings) => Record(timings, Stage.Total, timeProvider.GetElapsedTime(timings.Started));

    internal void End(Stage stage, long started) => Record(current.Value, stage, timeProvider.GetElapsedTime(started));

    private void Record(StageTimings? timings, Stage stage, TimeSpan elapsed)
    {
        duration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("stage", StageNames.Of(stage)));
        timings?.Add(stage, elapsed);
    }
}
