using ImageClassifier.MLflow.Client;

namespace ImageClassifier.MLflow.Tracking;

/// <summary>Experiments and runs, through the calls the MLflow Python client makes for them.</summary>
public sealed class MLflowTrackingClient(MLflowRestClient rest)
{
    /// <summary>The experiment of that name, or null when there is none (<c>RESOURCE_DOES_NOT_EXIST</c>).</summary>
    public async Task<MLflowExperiment?> GetExperimentByNameAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            var url = rest.Endpoint("mlflow/experiments/get-by-name", ("experiment_name", name));
            var response = await rest.GetAsync(url, MLflowJsonContext.Default.GetExperimentResponse, cancellationToken);
            return response.Experiment;
        }
        catch (MLflowResourceNotFoundException)
        {
            return null;
        }
    }

    /// <summary>Creates an experiment and returns its id.</summary>
    public async Task<string> CreateExperimentAsync(string name, CancellationToken cancellationToken)
    {
        var response = await rest.PostAsync(rest.Endpoint("mlflow/experiments/create"), new CreateExperimentRequest(name),
            MLflowJsonContext.Default.CreateExperimentRequest, MLflowJsonContext.Default.CreateExperimentResponse, cancellationToken);
        return response.ExperimentId;
    }

    /// <summary>Starts a run (status RUNNING) and returns its info, with its artifact URI.</summary>
    public async Task<MLflowRunInfo> CreateRunAsync(
        string experimentId, string userId, DateTimeOffset startTime, IReadOnlyList<RunTag> tags, string runName, CancellationToken cancellationToken)
    {
        var request = new CreateRunRequest(experimentId, userId, startTime.ToUnixTimeMilliseconds(), tags, runName);
        var response = await rest.PostAsync(rest.Endpoint("mlflow/runs/create"), request,
            MLflowJsonContext.Default.CreateRunRequest, MLflowJsonContext.Default.CreateRunResponse, cancellationToken);
        return response.Run.Info;
    }

    /// <summary>Logs metrics, params and tags in as few calls as MLflow's per-call limits allow.</summary>
    public async Task LogBatchAsync(
        string runId, IReadOnlyList<RunMetric> metrics, IReadOnlyList<RunParam> parameters, IReadOnlyList<RunTag> tags, CancellationToken cancellationToken)
    {
        foreach (var batch in LogBatchChunks.Split(metrics, parameters, tags))
        {
            await rest.PostAsync(rest.Endpoint("mlflow/runs/log-batch"), new LogBatchRequest(runId, batch.Metrics, batch.Params, batch.Tags),
                MLflowJsonContext.Default.LogBatchRequest, MLflowJsonContext.Default.EmptyResponse, cancellationToken);
        }
    }

    /// <summary>Ends a run: <see cref="MLflowRunStatus.Finished"/> or <see cref="MLflowRunStatus.Failed"/>.</summary>
    public async Task UpdateRunAsync(string runId, string status, DateTimeOffset endTime, CancellationToken cancellationToken) =>
        await rest.PostAsync(rest.Endpoint("mlflow/runs/update"), new UpdateRunRequest(runId, runId, status, endTime.ToUnixTimeMilliseconds()),
            MLflowJsonContext.Default.UpdateRunRequest, MLflowJsonContext.Default.EmptyResponse, cancellationToken);
}
