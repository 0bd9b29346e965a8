using System.Collections.Concurrent;

namespace ImageClassifier.Observability;

/// <summary>How long each stage of one request took, gathered for its log line.</summary>
public sealed class StageTimings
{
    private readonly ConcurrentDictionary<Stage, TimeSpan> durations = new();

    internal StageTimings(long started) => Started = started;

    /// <summary>The <see cref="TimeProvider"/> timestamp at which the request began.</summary>
    internal long Started { get; }

    public TimeSpan? this[Stage stage] => durations.TryGetValue(stage, out var duration) ? duration : null;

    /// <summary>Milliseconds, rounded to a tenth, or null when the stage did not run.</summary>
    public double? Milliseconds(Stage stage) => this[stage] is { } duration ? Math.Round(duration.TotalMilliseconds, 1) : null;

    internal void Add(Stage stage, TimeSpan duration) => durations.AddOrUpdate(stage, duration, (_, sum) => sum + duration);
}
