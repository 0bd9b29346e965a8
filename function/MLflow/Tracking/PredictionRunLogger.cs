using System.Globalization;
using ImageClassifier.MLflow.Client;
using Microsoft.Extensions.Options;

namespace ImageClassifier.MLflow.Tracking;

/// <summary>
/// Logs one prediction as one MLflow run, with the calls <c>mlflow.start_run()</c>,
/// <c>log_params</c>/<c>log_metric</c>/<c>set_tags</c>, <c>log_artifact</c> and
/// <c>end_run()</c> make: runs/create, runs/log-batch, an artifact PUT, runs/update.
/// </summary>
public sealed class PredictionRunLogger(
    MLflowTrackingClient tracking,
    MLflowArtifactClient artifacts,
    IOptions<MLflowOptions> options,
    TimeProvider timeProvider,
    ILogger<PredictionRunLogger> logger)
{
    /// <summary>What runs name as their source, as a script's file name would for the Python client.</summary>
    public const string SourceName = "image-classifier";

    public const string ImageArtifactDirectory = "images";

    // MLflow's value limits (mlflow/utils/validation.py); longer values are refused, so they are cut.
    private const int MaxParamValueLength = 6000;
    private const int MaxTagValueLength = 8000;

    // One reader logs at a time (the tracking service), so the cached id needs no lock.
    private string? _experimentId;

    public async Task LogAsync(TrackedPrediction prediction, CancellationToken cancellationToken)
    {
        var experimentId = await GetExperimentIdAsync(cancellationToken);
        var runName = "prediction-" + prediction.Time.UtcDateTime.ToString("yyyyMMdd'T'HHmmssfff'Z'", CultureInfo.InvariantCulture);
        var user = Environment.UserName is { Length: > 0 } name ? name : "unknown";
        MLflowRunInfo run;
        try
        {
            run = await tracking.CreateRunAsync(experimentId, user, prediction.Time, SystemTags(user, runName), runName, cancellationToken);
        }
        catch (MLflowResourceNotFoundException)
        {
            // The experiment was deleted since it was looked up: look it up again next time.
            _experimentId = null;
            throw;
        }

        try
        {
            await tracking.LogBatchAsync(run.RunId, Metrics(prediction), Params(prediction), Tags(prediction), cancellationToken);
            if (prediction is { Image: { } image, ImageFileName: { } fileName })
            {
                await artifacts.UploadAsync(run.ArtifactUri ?? $"mlflow-artifacts:/{experimentId}/{run.RunId}/artifacts",
                    ImageArtifactDirectory + "/" + fileName, image, cancellationToken);
            }

            await tracking.UpdateRunAsync(run.RunId, MLflowRunStatus.Finished, timeProvider.GetUtcNow(), cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            await MarkFailedAsync(run.RunId, cancellationToken);
            throw;
        }
    }

    private async Task MarkFailedAsync(string runId, CancellationToken cancellationToken)
    {
        try
        {
            await tracking.UpdateRunAsync(runId, MLflowRunStatus.Failed, timeProvider.GetUtcNow(), cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            logger.LogDebug(exception, "MLflow run {RunId} could not be marked FAILED", runId);
        }
    }

    private async Task<string> GetExperimentIdAsync(CancellationToken cancellationToken)
    {
        if (_experimentId is { } cached)
        {
            return cached;
        }

        var name = options.Value.ExperimentName;
        var experiment = await tracking.GetExperimentByNameAsync(name, cancellationToken);
        if (experiment is null)
        {
            try
            {
                _experimentId = await tracking.CreateExperimentAsync(name, cancellationToken);
                logger.LogInformation("Created MLflow experiment {Experiment} ({ExperimentId})", name, _experimentId);
                return _experimentId;
            }
            catch (MLflowResourceAlreadyExistsException)
            {
                // Another replica created it meanwhile.
                experiment = await tracking.GetExperimentByNameAsync(name, cancellationToken);
            }
        }

        if (experiment is null || string.Equals(experiment.LifecycleStage, "deleted", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException(
                $"The MLflow experiment {name} is deleted: restore it, or set MLFLOW_EXPERIMENT_NAME to another experiment.");
        }

        _experimentId = experiment.ExperimentId;
        return _experimentId;
    }

    // The tags mlflow.start_run() sets from its context.
    private static RunTag[] SystemTags(string user, string runName) =>
    [
        new("mlflow.user", user),
        new("mlflow.source.name", SourceName),
        new("mlflow.source.type", "JOB"),
        new("mlflow.runName", runName),
    ];

    private static RunMetric[] Metrics(TrackedPrediction prediction) =>
        [new("prediction_confidence", prediction.Top.Probability, prediction.Time.ToUnixTimeMilliseconds(), 0)];

    private static List<RunParam> Params(TrackedPrediction prediction)
    {
        var parameters = new List<RunParam>(4);
        if (prediction.ImageUrl is { } url)
        {
            parameters.Add(Param("image_url", url));
        }

        if (prediction.ImageSha256 is { } sha256)
        {
            parameters.Add(Param("image_sha256", sha256));
        }

        parameters.Add(Param("model_name", prediction.Model.Name));
        parameters.Add(Param("model_sha256", prediction.Model.Sha256));
        if (prediction.EventId is { } eventId)
        {
            parameters.Add(Param("cloudevent_id", eventId));
        }

        return parameters;
    }

    private static List<RunTag> Tags(TrackedPrediction prediction)
    {
        var tags = new List<RunTag>(4)
        {
            Tag("predicted_label", prediction.Top.Label),
            Tag("predicted_index", prediction.Top.Index.ToString(CultureInfo.InvariantCulture)),
        };
        if (prediction.Top.Synset.Length > 0)
        {
            tags.Add(Tag("predicted_synset", prediction.Top.Synset));
        }

        // A tag, so runs can be searched and compared by the version that made them (champion against challenger).
        if (prediction.Model.Version is { } version)
        {
            tags.Add(Tag("model_version", version));
        }

        if (prediction.ImageSkipped is { } reason)
        {
            tags.Add(Tag("image_not_logged", reason));
        }

        return tags;
    }

    private static RunParam Param(string key, string value) => new(key, Cut(value, MaxParamValueLength));

    private static RunTag Tag(string key, string value) => new(key, Cut(value, MaxTagValueLength));

    private static string Cut(string value, int length) => value.Length <= length ? value : value[..length];
}
