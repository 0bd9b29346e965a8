using System.Net;
using ImageClassifier.MLflow.Client;
using ImageClassifier.MLflow.Tracking;

namespace ImageClassifier.Tests.MLflow;

/// <summary>The REST client against the stand-in: MLflow's error JSON as typed exceptions, log-batch limits.</summary>
public sealed class MLflowClientTests : IAsyncLifetime
{
    private MLflowStandIn _mlflow = null!;
    private MLflowServices _services = null!;

    public async Task InitializeAsync()
    {
        _mlflow = await MLflowStandIn.StartAsync();
        _services = new MLflowServices(_mlflow.BaseAddress);
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _mlflow.DisposeAsync();
    }

    private MLflowTrackingClient Tracking => _services.Get<MLflowTrackingClient>();

    [Fact]
    public async Task An_unknown_run_id_is_RESOURCE_DOES_NOT_EXIST()
    {
        var error = await Assert.ThrowsAsync<MLflowResourceNotFoundException>(() =>
            Tracking.UpdateRunAsync("0123456789abcdef0123456789abcdef", MLflowRunStatus.Finished, DateTimeOffset.UnixEpoch, CancellationToken.None));

        Assert.Equal(HttpStatusCode.NotFound, error.StatusCode);
        Assert.Equal("RESOURCE_DOES_NOT_EXIST", error.ErrorCode);
        Assert.Equal("Run with id=0123456789abcdef0123456789abcdef not found", error.Message);
    }

    [Fact]
    public async Task A_second_experiment_of_the_same_name_is_RESOURCE_ALREADY_EXISTS()
    {
        await Tracking.CreateExperimentAsync("twice", CancellationToken.None);

        await Assert.ThrowsAsync<MLflowResourceAlreadyExistsException>(() => Tracking.CreateExperimentAsync("twice", CancellationToken.None));
        Assert.Null(await Tracking.GetExperimentByNameAsync("never", CancellationToken.None));
    }

    [Fact]
    public async Task Other_errors_keep_their_error_code()
    {
        var error = await Assert.ThrowsAsync<MLflowException>(() => Tracking.CreateExperimentAsync("", CancellationToken.None));

        Assert.Equal("INVALID_PARAMETER_VALUE", error.ErrorCode);
        Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
        Assert.False(error.IsTransient);
    }

    [Fact]
    public async Task A_big_batch_is_split_within_MLflow_s_limits_and_all_of_it_arrives()
    {
        var experiment = await Tracking.CreateExperimentAsync("big", CancellationToken.None);
        var run = await Tracking.CreateRunAsync(experiment, "me", DateTimeOffset.UnixEpoch, [], "big-run", CancellationToken.None);
        var metrics = Enumerable.Range(0, 2500).Select(i => new RunMetric("m", i, 0, i)).ToList();
        var parameters = Enumerable.Range(0, 150).Select(i => new RunParam($"p{i}", "v")).ToList();
        var tags = Enumerable.Range(0, 30).Select(i => new RunTag($"t{i}", "v")).ToList();

        await Tracking.LogBatchAsync(run.RunId, metrics, parameters, tags, CancellationToken.None);

        var state = _mlflow.RunById(run.RunId);
        Assert.Equal(metrics.Select(m => m.Step), state.Metrics.Select(m => m.Step));
        Assert.Equal(150, state.Params.Count);
        Assert.Equal(31, state.Tags.Count);
        Assert.Equal(3, _mlflow.CallsTo("/api/2.0/mlflow/runs/log-batch").Count);
    }

    [Fact]
    public void Chunks_follow_the_Python_client_s_split()
    {
        var chunks = LogBatchChunks.Split(
            [.. Enumerable.Range(0, 2500).Select(i => new RunMetric("m", i, 0, i))],
            [.. Enumerable.Range(0, 150).Select(i => new RunParam($"p{i}", "v"))],
            [.. Enumerable.Range(0, 30).Select(i => new RunTag($"t{i}", "v"))]).ToList();

        Assert.Equal(["870/100/30", "950/50/0", "680/0/0"], chunks.Select(c => $"{c.Metrics.Count}/{c.Params.Count}/{c.Tags.Count}"));
    }

    [Theory]
    [InlineData("mlflow-artifacts:/1/abc/artifacts", "http://mlflow:5000/", "http://mlflow:5000/api/2.0/mlflow-artifacts/artifacts", "1/abc/artifacts")]
    [InlineData("mlflow-artifacts:/1/abc/artifacts", "https://ml.example/mlflow/", "https://ml.example/mlflow/api/2.0/mlflow-artifacts/artifacts", "1/abc/artifacts")]
    [InlineData("mlflow-artifacts://artifacts.internal:8080/1/abc", "http://mlflow:5000/", "http://artifacts.internal:8080/api/2.0/mlflow-artifacts/artifacts", "1/abc")]
    [InlineData("http://mlflow:5000/api/2.0/mlflow-artifacts/artifacts/0/models/m-1/artifacts", "http://other/", "http://mlflow:5000/api/2.0/mlflow-artifacts/artifacts", "0/models/m-1/artifacts")]
    public void Artifact_URIs_resolve_as_the_Python_client_resolves_them(string artifactUri, string tracking, string endpoint, string root)
    {
        var location = ArtifactLocation.Resolve(artifactUri, new Uri(tracking));

        Assert.Equal(new Uri(endpoint), location.ArtifactsEndpoint);
        Assert.Equal(root, location.RootPath);
        Assert.Equal(new Uri(endpoint + "/" + root + "/images/a%20b.jpg"), location.FileUrl("images/a b.jpg"));
    }

    [Fact]
    public void Artifacts_not_served_by_the_tracking_server_are_refused() =>
        Assert.Throws<NotSupportedException>(() => ArtifactLocation.Resolve("s3://bucket/1/abc/artifacts", new Uri("http://mlflow:5000/")));
}
