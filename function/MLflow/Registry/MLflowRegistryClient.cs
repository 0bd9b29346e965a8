using ImageClassifier.MLflow.Client;

namespace ImageClassifier.MLflow.Registry;

/// <summary>The Model Registry calls that turn <c>models:/</c> URIs into artifacts.</summary>
public sealed class MLflowRegistryClient(MLflowRestClient rest)
{
    /// <summary>The model version the URI names: by version number, or by alias.</summary>
    public Task<MLflowModelVersion> GetModelVersionAsync(RegisteredModelUri model, CancellationToken cancellationToken) =>
        model.Alias is { } alias
            ? GetModelVersionAsync("mlflow/registered-models/alias", [("name", model.Name), ("alias", alias)], cancellationToken)
            : GetModelVersionAsync(model.Name, model.Version!, cancellationToken);

    /// <summary>One version of a registered model, by number.</summary>
    public Task<MLflowModelVersion> GetModelVersionAsync(string name, string version, CancellationToken cancellationToken) =>
        GetModelVersionAsync("mlflow/model-versions/get", [("name", name), ("version", version)], cancellationToken);

    /// <summary>Where the version's files are: an <c>mlflow-artifacts:</c> (or http) artifact URI.</summary>
    public async Task<string> GetDownloadUriAsync(string name, string version, CancellationToken cancellationToken)
    {
        var url = rest.Endpoint("mlflow/model-versions/get-download-uri", ("name", name), ("version", version));
        var response = await rest.GetAsync(url, MLflowJsonContext.Default.DownloadUriResponse, cancellationToken);
        return response.ArtifactUri;
    }

    private async Task<MLflowModelVersion> GetModelVersionAsync(string path, (string, string)[] query, CancellationToken cancellationToken)
    {
        var response = await rest.GetAsync(rest.Endpoint(path, query), MLflowJsonContext.Default.ModelVersionResponse, cancellationToken);
        return response.ModelVersion;
    }
}
