using System.Text.Json.Serialization;

namespace ImageClassifier.MLflow.Client;

// The JSON bodies of MLflow's REST API 2.0 (service.proto, model_registry.proto,
// mlflow_artifacts.proto), only the fields this client sends or reads.

public sealed record RunTag(string Key, string Value);

public sealed record RunParam(string Key, string Value);

public sealed record RunMetric(string Key, double Value, long Timestamp, long Step);

public sealed record MLflowExperiment(string ExperimentId, string Name, string? ArtifactLocation, string? LifecycleStage);

public sealed record MLflowRunInfo(string RunId, string ExperimentId, string? ArtifactUri, string? Status);

public sealed record MLflowModelVersion(string Name, string Version, string? Source, string? RunId, string? Status);

public sealed record MLflowArtifactFile(string Path, bool IsDir, long? FileSize);

internal sealed record CreateExperimentRequest(string Name);

internal sealed record CreateExperimentResponse(string ExperimentId);

internal sealed record GetExperimentResponse(MLflowExperiment Experiment);

internal sealed record CreateRunRequest(string ExperimentId, string UserId, long StartTime, IReadOnlyList<RunTag> Tags, string RunName);

internal sealed record CreateRunResponse(CreateRunResponse.RunBody Run)
{
    internal sealed record RunBody(MLflowRunInfo Info);
}

internal sealed record LogBatchRequest(string RunId, IReadOnlyList<RunMetric> Metrics, IReadOnlyList<RunParam> Params, IReadOnlyList<RunTag> Tags);

// The Python client sends the deprecated run_uuid beside run_id; so does this one, for old servers.
internal sealed record UpdateRunRequest(string RunId, string RunUuid, string Status, long EndTime);

internal sealed record ModelVersionResponse(MLflowModelVersion ModelVersion);

internal sealed record DownloadUriResponse(string ArtifactUri);

internal sealed record ListArtifactsResponse(IReadOnlyList<MLflowArtifactFile>? Files);

internal sealed record ErrorResponse(string? ErrorCode, string? Message);

internal sealed record EmptyResponse;

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(CreateExperimentRequest))]
[JsonSerializable(typeof(CreateExperimentResponse))]
[JsonSerializable(typeof(GetExperimentResponse))]
[JsonSerializable(typeof(CreateRunRequest))]
[JsonSerializable(typeof(CreateRunResponse))]
[JsonSerializable(typeof(LogBatchRequest))]
[JsonSerializable(typeof(UpdateRunRequest))]
[JsonSerializable(typeof(ModelVersionResponse))]
[JsonSerializable(typeof(DownloadUriResponse))]
[JsonSerializable(typeof(ListArtifactsResponse))]
[JsonSerializable(typeof(ErrorResponse))]
[JsonSerializable(typeof(EmptyResponse))]
internal sealed partial class MLflowJsonContext : JsonSerializerContext;
