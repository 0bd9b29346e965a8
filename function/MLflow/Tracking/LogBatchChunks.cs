using ImageClassifier.MLflow.Client;

namespace ImageClassifier.MLflow.Tracking;

/// <summary>
/// MLflow's limits on one runs/log-batch call (mlflow/utils/validation.py): at most 1000
/// metrics, 100 params, 100 tags and 1000 entities in all. This splits a batch the way the
/// Python client's <c>log_batch</c> does: params and tags side by side, metrics filling what room
/// is left, then the remaining metrics alone.
/// </summary>
public static class LogBatchChunks
{
    public const int MaxMetricsPerBatch = 1000;
    public const int MaxParamsTagsPerBatch = 100;
    public const int MaxEntitiesPerBatch = 1000;

    public static IEnumerable<Chunk> Split(IReadOnlyList<RunMetric> metrics, IReadOnlyList<RunParam> parameters, IReadOnlyList<RunTag> tags)
    {
        var paramChunks = parameters.Chunk(MaxParamsTagsPerBatch).ToList();
        var tagChunks = tags.Chunk(MaxParamsTagsPerBatch).ToList();
        var metricsLeft = metrics.AsEnumerable();
        for (var i = 0; i < Math.Max(paramChunks.Count, tagChunks.Count); i++)
        {
            RunParam[] paramChunk = i < paramChunks.Count ? paramChunks[i] : [];
            RunTag[] tagChunk = i < tagChunks.Count ? tagChunks[i] : [];
            var room = Math.Min(MaxEntitiesPerBatch - paramChunk.Length - tagChunk.Length, MaxMetricsPerBatch);
            RunMetric[] metricChunk = [.. metricsLeft.Take(room)];
            metricsLeft = metricsLeft.Skip(room);
            yield return new Chunk(metricChunk, paramChunk, tagChunk);
        }

        foreach (var metricChunk in metricsLeft.Chunk(MaxMetricsPerBatch))
        {
            yield return new Chunk(metricChunk, [], []);
        }
    }

    /// <summary>What one log-batch call carries.</summary>
    public sealed record Chunk(IReadOnlyList<RunMetric> Metrics, IReadOnlyList<RunParam> Params, IReadOnlyList<RunTag> Tags);
}
