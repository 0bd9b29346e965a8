using System.Security.Cryptography;
using System.Text;
using ImageClassifier.Inference;
using ImageClassifier.MLflow.Client;
using ImageClassifier.MLflow.Registry;

namespace ImageClassifier.Tests.MLflow;

/// <summary>MODEL_URI: a registered model version found by number or alias, downloaded, checked.</summary>
public sealed class RegisteredModelSourceTests : IAsyncLifetime
{
    private static readonly byte[] ShuffleNet = File.ReadAllBytes(SharedModels.ShuffleNet);
    private MLflowStandIn _mlflow = null!;

    public async Task InitializeAsync() => _mlflow = await MLflowStandIn.StartAsync();

    public async Task DisposeAsync() => await _mlflow.DisposeAsync();

    [Fact]
    public async Task A_version_number_is_resolved_to_its_artifacts_and_downloaded_into_the_cache()
    {
        _mlflow.RegisterModelVersion("classifier", "3", ModelFiles(ShuffleNet));
        await using var services = Services("models:/classifier/3");

        var files = await services.Get<RegisteredModelSource>().DownloadAsync(CancellationToken.None);

        Assert.Equal("classifier", files.Name);
        Assert.Equal("3", files.Version.Version);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(ShuffleNet)), files.Sha256);
        Assert.Equal(ShuffleNet, await File.ReadAllBytesAsync(files.ModelPath));
        Assert.StartsWith(services.CacheDirectory, files.ModelPath, StringComparison.Ordinal);
        Assert.Null(files.LabelsPath);
        Assert.Equal(
        [
            "GET /api/2.0/mlflow/model-versions/get?name=classifier&version=3",
            "GET /api/2.0/mlflow/model-versions/get-download-uri?name=classifier&version=3",
            "GET /api/2.0/mlflow-artifacts/artifacts?path=" + Uri.EscapeDataString(ArtifactRoot()),
            "GET /api/2.0/mlflow-artifacts/artifacts/" + ArtifactRoot() + "/model.onnx",
            "GET /api/2.0/mlflow-artifacts/artifacts/" + ArtifactRoot() + "/MLmodel",
        ], _mlflow.Calls.Select(call => $"{call.Method} {call.Path}{call.Query}"));
    }

    [Fact]
    public async Task An_alias_serves_the_version_it_points_at_with_the_labels_the_model_carries()
    {
        _mlflow.RegisterModelVersion("classifier", "1", ModelFiles([1, 2, 3]));
        _mlflow.RegisterModelVersion("classifier", "2", ModelFiles(ShuffleNet, "cat\ndog\n"), "champion");
        await using var services = Services("models:/classifier@champion");

        var files = await services.Get<RegisteredModelSource>().DownloadAsync(CancellationToken.None);

        Assert.Equal("classifier", files.Name);
        Assert.Equal("2", files.Version.Version);
        Assert.Equal(ShuffleNet, await File.ReadAllBytesAsync(files.ModelPath));
        Assert.Equal("cat\ndog\n", await File.ReadAllTextAsync(files.LabelsPath!));
        Assert.Equal("?name=classifier&alias=champion", _mlflow.CallsTo("/api/2.0/mlflow/registered-models/alias").Single().Query);
    }

    [Fact]
    public async Task A_missing_model_keeps_the_source_waiting_and_retrying_until_it_is_registered()
    {
        await using var services = Services("models:/classifier@champion");

        var download = services.Get<RegisteredModelSource>().DownloadAsync(CancellationToken.None);
        await services.Logs.WaitForWarningAsync("the registry has no such model");

        Assert.False(download.IsCompleted);
        Assert.Equal(404, _mlflow.CallsTo("/api/2.0/mlflow/registered-models/alias").Single().Status);
        _mlflow.RegisterModelVersion("classifier", "7", ModelFiles(ShuffleNet), "champion");
        while (!download.IsCompleted)
        {
            services.Clock.Advance(RegisteredModelSource.FirstRetryDelay);
            await Task.Delay(5);
        }

        Assert.Equal("7", (await download).Version.Version);
        Assert.Equal(2, _mlflow.CallsTo("/api/2.0/mlflow/registered-models/alias").Count);
    }

    [Fact]
    public async Task A_download_cut_short_leaves_nothing_in_the_cache_and_is_retried()
    {
        _mlflow.RegisterModelVersion("classifier", "3", ModelFiles(ShuffleNet));
        _mlflow.CutShortDownloadsOf = "model.onnx";
        await using var services = Services("models:/classifier/3");

        var download = services.Get<RegisteredModelSource>().DownloadAsync(CancellationToken.None);
        await services.Logs.WaitForWarningAsync("(attempt 1): the download failed");

        Assert.False(download.IsCompleted);
        Assert.Empty(Directory.EnumerateFiles(services.CacheDirectory, "*", SearchOption.AllDirectories));
        _mlflow.CutShortDownloadsOf = null;
        while (!download.IsCompleted)
        {
            services.Clock.Advance(RegisteredModelSource.FirstRetryDelay);
            await Task.Delay(5);
        }

        Assert.Equal(ShuffleNet, await File.ReadAllBytesAsync((await download).ModelPath));
    }

    [Fact]
    public async Task Wrong_credentials_are_retried_and_said_in_the_logs()
    {
        _mlflow.RequiredAuthorization = "Bearer right";
        _mlflow.RegisterModelVersion("classifier", "3", ModelFiles(ShuffleNet));
        await using var services = Services("models:/classifier/3", ("MLFLOW_TRACKING_TOKEN", "wrong"));

        var download = services.Get<RegisteredModelSource>().DownloadAsync(CancellationToken.None);
        await services.Logs.WaitForWarningAsync("refused the credentials (401)");

        Assert.False(download.IsCompleted);
    }

    [Fact]
    public async Task Cancellation_ends_the_retries()
    {
        await using var services = Services("models:/classifier/3");
        using var stopping = new CancellationTokenSource();

        var download = services.Get<RegisteredModelSource>().DownloadAsync(stopping.Token);
        await services.Logs.WaitForWarningAsync("is not loaded yet");
        await stopping.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => download);
    }

    [Theory]
    [InlineData("http")]
    [InlineData("mlflow-artifacts")]
    public async Task Credentials_go_to_the_tracking_server_only_never_to_another_host_an_artifact_URI_names(string form)
    {
        await using var elsewhere = await MLflowStandIn.StartAsync();
        var artifacts = elsewhere.RegisterModelVersion("elsewhere", "1", ModelFiles(ShuffleNet));
        var source = form == "http"
            ? artifacts.AbsoluteUri
            : $"mlflow-artifacts://{artifacts.Authority}{artifacts.AbsolutePath["/api/2.0/mlflow-artifacts/artifacts".Length..]}";
        _mlflow.RequiredAuthorization = "Bearer right";
        _mlflow.RegisterModelVersionAt("classifier", "3", source);
        await using var services = Services("models:/classifier/3", ("MLFLOW_TRACKING_TOKEN", "right"),
            ("MLFLOW_ARTIFACT_HOSTS", elsewhere.BaseAddress.GetLeftPart(UriPartial.Authority)));

        var files = await services.Get<RegisteredModelSource>().DownloadAsync(CancellationToken.None);

        Assert.Equal(ShuffleNet, await File.ReadAllBytesAsync(files.ModelPath));
        await elsewhere.WaitForAsync(calls => calls.Any(call => call.Path.EndsWith("/model.onnx", StringComparison.Ordinal)));
        Assert.NotEmpty(_mlflow.Calls);
        Assert.All(_mlflow.Calls, call => Assert.Equal("Bearer right", call.Authorization));
        Assert.NotEmpty(elsewhere.Calls);
        Assert.All(elsewhere.Calls, call => Assert.Null(call.Authorization));
    }

    [Fact]
    public async Task A_plain_http_artifact_host_off_loopback_is_refused_before_any_connection()
    {
        _mlflow.RegisterModelVersionAt("classifier", "3", "http://artifacts.example/api/2.0/mlflow-artifacts/artifacts/0/models/m-1/artifacts");
        await using var services = Services("models:/classifier@champion", ("MLFLOW_ARTIFACT_HOSTS", "http://artifacts.example"));

        var error = await Assert.ThrowsAsync<ModelUnavailableException>(
            () => services.Get<RegisteredModelSource>().FetchVersionAsync("3", CancellationToken.None));

        Assert.Equal(ModelMetrics.Outcomes.DownloadFailed, error.Outcome);
        Assert.Contains("http://artifacts.example is plain http", error.Message, StringComparison.Ordinal);
        Assert.IsType<MLflowTransportRefusedException>(error.InnerException);
    }

    [Fact]
    public async Task A_download_is_stopped_at_the_listed_size()
    {
        _mlflow.RegisterModelVersion("classifier", "3", ModelFiles(ShuffleNet));
        _mlflow.OversizeDownloadsOf = "model.onnx";
        await using var services = Services("models:/classifier@champion");

        var error = await Assert.ThrowsAsync<ModelUnavailableException>(
            () => services.Get<RegisteredModelSource>().FetchVersionAsync("3", CancellationToken.None));

        Assert.Equal(ModelMetrics.Outcomes.DownloadFailed, error.Outcome);
        Assert.Contains($"model.onnx is longer than {ShuffleNet.Length} bytes (its listed size)", error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFiles(services.CacheDirectory, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task A_download_that_stalls_is_given_up_at_MODEL_DOWNLOAD_TIMEOUT_SECONDS()
    {
        _mlflow.RegisterModelVersion("classifier", "3", ModelFiles(ShuffleNet));
        _mlflow.StallDownloadsOf = "model.onnx";
        await using var services = Services("models:/classifier@champion", ("MODEL_DOWNLOAD_TIMEOUT_SECONDS", "30"));

        var fetch = services.Get<RegisteredModelSource>().FetchVersionAsync("3", CancellationToken.None);
        await Harness.Eventually.WaitAsync(() => _mlflow.Stalled == 1 || fetch.IsCompleted, "the download never began");
        Assert.False(fetch.IsCompleted);
        services.Clock.Advance(TimeSpan.FromSeconds(30));

        var error = await Assert.ThrowsAsync<ModelUnavailableException>(() => fetch);
        Assert.Equal(ModelMetrics.Outcomes.DownloadFailed, error.Outcome);
        Assert.Contains("did not finish within MODEL_DOWNLOAD_TIMEOUT_SECONDS (30 s)", error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFiles(services.CacheDirectory, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task The_cache_is_keyed_by_tracking_server_so_another_registry_never_gets_this_one_s_file()
    {
        await using var other = await MLflowStandIn.StartAsync();
        var cache = Directory.CreateTempSubdirectory("ic-shared-cache-").FullName;
        var mobileNet = await File.ReadAllBytesAsync(SharedModels.MobileNet);
        _mlflow.RegisterModelVersion("classifier", "1", ModelFiles(ShuffleNet));
        other.RegisterModelVersion("classifier", "1", ModelFiles(mobileNet));
        try
        {
            await using var here = new MLflowServices(_mlflow.BaseAddress, new Dictionary<string, string?> { ["MODEL_URI"] = "models:/classifier/1", ["MODEL_CACHE_DIR"] = cache });
            await using var there = new MLflowServices(other.BaseAddress, new Dictionary<string, string?> { ["MODEL_URI"] = "models:/classifier/1", ["MODEL_CACHE_DIR"] = cache });

            var fromHere = await here.Get<RegisteredModelSource>().DownloadAsync(CancellationToken.None);
            var fromThere = await there.Get<RegisteredModelSource>().DownloadAsync(CancellationToken.None);

            Assert.Equal(ShuffleNet, await File.ReadAllBytesAsync(fromHere.ModelPath));
            Assert.Equal(mobileNet, await File.ReadAllBytesAsync(fromThere.ModelPath));
            Assert.NotEqual(fromHere.ModelPath, fromThere.ModelPath);
            await other.WaitForAsync(calls => calls.Any(call => call.Path.EndsWith("/model.onnx", StringComparison.Ordinal)));
            Assert.Single(other.Calls, call => call.Path.EndsWith("/model.onnx", StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(cache, recursive: true);
        }
    }

    private MLflowServices Services(string modelUri, params (string Key, string Value)[] settings)
    {
        var values = new Dictionary<string, string?> { ["MODEL_URI"] = modelUri };
        foreach (var (key, value) in settings)
        {
            values[key] = value;
        }

        return new MLflowServices(_mlflow.BaseAddress, values);
    }

    private string ArtifactRoot() =>
        _mlflow.Artifacts.Keys.Single(key => key.EndsWith("/model.onnx", StringComparison.Ordinal))[..^"/model.onnx".Length];

    // What mlflow.onnx.log_model writes, and a labels file when the model carries one.
    private static Dictionary<string, byte[]> ModelFiles(byte[] onnx, string? labels = null)
    {
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal)
        {
            ["MLmodel"] = Encoding.UTF8.GetBytes("flavors:\n  onnx:\n    data: model.onnx\n"),
            ["model.onnx"] = onnx,
            ["requirements.txt"] = Encoding.UTF8.GetBytes("onnx\n"),
        };
        if (labels is not null)
        {
            files["labels.txt"] = Encoding.UTF8.GetBytes(labels);
        }

        return files;
    }
}
