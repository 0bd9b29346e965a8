namespace ImageClassifier.Observability;

/// <summary>
/// Times the stages of the request being handled: the edge <see cref="Begin"/>s a request and
/// the function wraps each stage in <see cref="Start"/>. The request's timings travel with its
/// async flow, so the concurrent events of a batch each keep their own.
/// </summary>
public sealed class StageRecorder(FunctionMetrics metrics, FunctionTracing tracing, TimeProvider timeProvider)
{
    private readonly AsyncLocal<StageTimings?> current = new();

    /// <summary>Starts collecting a request's timings, in this async flow and in those it starts.</summary>
    public StageTimings Begin()
    {
        var timings = new StageTimings(timeProvider.GetTimestamp());
        current.Value = timings;
        return timings;
    }

    /// <summary>Starts timing a stage, with a child span of the current one; dispose to end it.</summary>
    public StageScope Start(Stage stage) => new(this, stage, timeProvider.GetTimestamp(), tracing.StartStage(stage));

    /// <summary>Ends a request begun with <see cref="Begin"/>: its total time.</summary>
    public void Finish(StageTimings timings) => Record(timings, Stage.Total, timeProvider.GetElapsedTime(timings.Started));

    internal void End(Stage stage, long started) => Record(current.Value, stage, timeProvider.GetElapsedTime(started));

    private void Record(StageTimings? timings, Stage stage, TimeSpan elapsed)
    {
        metrics.RecordStage(stage, elapsed);
        timings?.Add(stage, elapsed);
    }
}
