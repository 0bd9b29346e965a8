using System.Diagnostics;

namespace ImageClassifier.Observability;

/// <summary>One stage being timed: a child span while it runs, a histogram sample and a timing when it ends.</summary>
public sealed class StageScope : IDisposable
{
    private readonly StageRecorder recorder;
    private readonly Stage stage;
    private readonly long started;
    private readonly Activity? activity;

    internal StageScope(StageRecorder recorder, Stage stage, long started, Activity? activity)
    {
        this.recorder = recorder;
        this.stage = stage;
        this.started = started;
        this.activity = activity;
    }

    public void Dispose()
    {
        activity?.Dispose();
        recorder.End(stage, started);
    }
}
