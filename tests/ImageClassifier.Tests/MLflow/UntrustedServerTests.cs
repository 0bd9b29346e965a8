using System.Text;
using ImageClassifier.Inference;
using ImageClassifier.MLflow.Client;
using ImageClassifier.MLflow.Registry;

namespace ImageClassifier.Tests.MLflow;

/// <summary>
/// The MLflow server and its artifact store are not trusted: every answer is read up to a cap and
/// one past it is a failure, not retried; listings are capped in entries, files in size; artifacts
/// and redirects come only from the origins the operator named; a registry load has one deadline;
/// the cache keeps two versions. Each refusal is counted in <c>imageclassifier.mlflow.refused</c>.
/// </summary>
public sealed class UntrustedServerTests : IAsyncLifetime
{
    private const string Refused = MLflowTrackingMetrics.RefusedCounterName;
    private static readonly byte[] ShuffleNet = File.ReadAllBytes(SharedModels.ShuffleNet);
    private MLflowStandIn _mlflow = null!;

    public async Task InitializeAsync() => _mlflow = await MLflowStandIn.StartAsync();

    public async Task DisposeAsync() => await _mlflow.DisposeAsync();

    [Fact]
    public async Task An_answer_without_end_is_read_only_to_MLFLOW_MAX_RESPONSE_BYTES_and_the_load_fails_at_once_without_a_retry()
    {
        _mlflow.AnswerWithoutEnd = true;
        await using var services = Services("models:/classifier@champion",
            ("MLFLOW_MAX_RESPONSE_BYTES", "65536"), ("MLFLOW_HTTP_REQUEST_MAX_RETRIES", "3"));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(
            () => services.Get<RegisteredModelSource>().DownloadAsync(CancellationToken.None));

        Assert.Contains("is longer than 65536 bytes (MLFLOW_MAX_RESPONSE_BYTES)", error.Message, StringComparison.Ordinal);
        Assert.IsType<MLflowResponseTooLargeException>(error.InnerException);
        await _mlflow.WaitForAsync(calls => calls.Count == 1);
        Assert.Single(_mlflow.Calls);
        Assert.Equal(1, services.Counters.Total(Refused, MLflowTrackingMetrics.RefusalReasons.TooLarge));
    }

    [Fact]
    public async Task A_small_artifact_is_read_whole_up_to_its_cap_and_refused_past_it()
    {
        var root = _mlflow.RegisterModelVersion("classifier", "1", new Dictionary<string, byte[]>
        {
            ["labels.txt"] = Encoding.UTF8.GetBytes("cat\ndog\n"),
            ["config.json"] = new byte[2049],
        });
        await using var services = Services("models:/classifier/1");
        var artifacts = services.Get<MLflowArtifactClient>();

        Assert.Equal("cat\ndog\n"u8.ToArray(), await artifacts.ReadSmallAsync(root.AbsoluteUri, "labels.txt", 2048, CancellationToken.None));
        var error = await Assert.ThrowsAsync<MLflowResponseTooLargeException>(
            () => artifacts.ReadSmallAsync(root.AbsoluteUri, "config.json", 2048, CancellationToken.None));

        Assert.Contains("longer than 2048 bytes", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, services.Counters.Total(Refused, MLflowTrackingMetrics.RefusalReasons.TooLarge));
    }

    [Fact]
    public async Task An_artifact_listing_with_more_entries_than_a_model_may_have_is_refused()
    {
        _mlflow.RegisterModelVersion("classifier", "1", ModelFiles(ShuffleNet), "champion");
        _mlflow.PadListingsWith = MLflowArtifactClient.MaxListingEntries;
        await using var services = Services("models:/classifier@champion");

        var error = await Assert.ThrowsAsync<ModelUnavailableException>(
            () => services.Get<RegisteredModelSource>().FetchVersionAsync("1", CancellationToken.None));

        Assert.Contains($"names {MLflowArtifactClient.MaxListingEntries + 2} entries, more than the {MLflowArtifactClient.MaxListingEntries}", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(_mlflow.Calls, call => call.Path.EndsWith("/model.onnx", StringComparison.Ordinal));
        Assert.Equal(1, services.Counters.Total(Refused, MLflowTrackingMetrics.RefusalReasons.TooManyFiles));
    }

    [Fact]
    public async Task An_artifact_host_no_one_named_is_refused_before_any_connection_and_not_retried()
    {
        await using var elsewhere = await MLflowStandIn.StartAsync();
        var artifacts = elsewhere.RegisterModelVersion("elsewhere", "1", ModelFiles(ShuffleNet));
        _mlflow.RegisterModelVersionAt("classifier", "3", artifacts.AbsoluteUri);
        await using var services = Services("models:/classifier/3");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(
            () => services.Get<RegisteredModelSource>().DownloadAsync(CancellationToken.None));

        Assert.Contains($"{elsewhere.BaseAddress.GetLeftPart(UriPartial.Authority)} is neither the tracking server nor one of MLFLOW_ARTIFACT_HOSTS", error.Message, StringComparison.Ordinal);
        Assert.Empty(elsewhere.Calls);
        Assert.Equal(1, services.Counters.Total(Refused, MLflowTrackingMetrics.RefusalReasons.Origin));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_redirect_is_followed_only_to_an_origin_the_operator_named(bool named)
    {
        await using var elsewhere = await MLflowStandIn.StartAsync();
        _mlflow.RegisterModelVersion("classifier", "1", ModelFiles(ShuffleNet), "champion");
        foreach (var (path, bytes) in _mlflow.Artifacts)
        {
            elsewhere.StoreArtifact(path, bytes);
        }

        _mlflow.RedirectDownloads = ("model.onnx", elsewhere.BaseAddress);
        await using var services = named
            ? Services("models:/classifier@champion", ("MLFLOW_ARTIFACT_HOSTS", elsewhere.BaseAddress.GetLeftPart(UriPartial.Authority)))
            : Services("models:/classifier@champion");

        var fetch = services.Get<RegisteredModelSource>().FetchVersionAsync("1", CancellationToken.None);

        if (named)
        {
            Assert.Equal(ShuffleNet, await File.ReadAllBytesAsync((await fetch).ModelPath));
            Assert.Single(elsewhere.Calls, call => call.Path.EndsWith("/model.onnx", StringComparison.Ordinal) && call.Authorization is null);
        }
        else
        {
            var error = await Assert.ThrowsAsync<ModelUnavailableException>(() => fetch);
            Assert.Contains("is neither the tracking server nor one of MLFLOW_ARTIFACT_HOSTS", error.Message, StringComparison.Ordinal);
            Assert.Empty(elsewhere.Calls);
            Assert.Equal(1, services.Counters.Total(Refused, MLflowTrackingMetrics.RefusalReasons.Origin));
        }
    }

    [Fact]
    public async Task A_model_listed_larger_than_MODEL_MAX_BYTES_is_refused_before_its_download_and_not_retried()
    {
        _mlflow.RegisterModelVersion("classifier", "1", ModelFiles(ShuffleNet), "champion");
        await using var services = Services("models:/classifier@champion", ("MODEL_MAX_BYTES", (ShuffleNet.Length - 1).ToString(System.Globalization.CultureInfo.InvariantCulture)));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(
            () => services.Get<RegisteredModelSource>().DownloadAsync(CancellationToken.None));

        Assert.Contains($"model.onnx with {ShuffleNet.Length} bytes, more than the {ShuffleNet.Length - 1} of MODEL_MAX_BYTES", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(_mlflow.Calls, call => call.Path.EndsWith("/model.onnx", StringComparison.Ordinal));
        Assert.Single(_mlflow.CallsTo("/api/2.0/mlflow/registered-models/alias"));
        Assert.Equal(1, services.Counters.Total(Refused, MLflowTrackingMetrics.RefusalReasons.ModelTooLarge));
    }

    [Fact]
    public async Task Labels_over_a_mebibyte_are_refused()
    {
        var files = ModelFiles(ShuffleNet);
        files["labels.txt"] = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("a label\n", (ModelBundleResolver.MaxLabelsBytes / 8) + 1)));
        _mlflow.RegisterModelVersion("classifier", "1", files, "champion");
        await using var services = Services("models:/classifier@champion");

        var error = await Assert.ThrowsAsync<ModelUnavailableException>(
            () => services.Get<RegisteredModelSource>().FetchVersionAsync("1", CancellationToken.None));

        Assert.Contains($"more than the {ModelBundleResolver.MaxLabelsBytes} of the labels' limit", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(_mlflow.Calls, call => call.Path.EndsWith("/labels.txt", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_MLmodel_with_an_alias_is_refused_at_once_not_retried()
    {
        var files = ModelFiles(ShuffleNet);
        files["MLmodel"] = Encoding.UTF8.GetBytes("a: &a [x, x, x]\nb: &b [*a, *a, *a]\nmetadata:\n  labels: *b\n");
        _mlflow.RegisterModelVersion("classifier", "1", files, "champion");
        await using var services = Services("models:/classifier@champion");
        // Retried, the load would wait on the test's clock for ever: the token ends it as a failure instead.
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(
            () => services.Get<RegisteredModelSource>().DownloadAsync(stop.Token));

        Assert.Contains("holds an alias", error.Message, StringComparison.Ordinal);
        Assert.Single(_mlflow.CallsTo("/api/2.0/mlflow/registered-models/alias"));
    }

    [Fact]
    public async Task An_MLmodel_over_its_cap_is_refused_unparsed()
    {
        var files = ModelFiles(ShuffleNet);
        files["MLmodel"] = Encoding.UTF8.GetBytes("metadata: {}\n# " + new string('x', 4096));
        _mlflow.RegisterModelVersion("classifier", "1", files, "champion");
        await using var services = Services("models:/classifier@champion", ("MLFLOW_MAX_RESPONSE_BYTES", "1024"));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(
            () => services.Get<RegisteredModelSource>().DownloadAsync(CancellationToken.None));

        Assert.Contains("longer than 1024 bytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_registry_load_gives_up_at_MODEL_LOAD_TIMEOUT_SECONDS_whatever_the_retries()
    {
        _mlflow.FailEverythingWith = System.Net.HttpStatusCode.ServiceUnavailable;
        await using var services = Services("models:/classifier@champion", ("MODEL_LOAD_TIMEOUT_SECONDS", "20"));

        var download = services.Get<RegisteredModelSource>().DownloadAsync(CancellationToken.None);
        while (!download.IsCompleted)
        {
            await services.Logs.WaitForWarningAsync("is not loaded yet");
            services.Clock.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(5);
        }

        var error = await Assert.ThrowsAsync<TimeoutException>(() => download);
        Assert.Contains("could not be loaded within MODEL_LOAD_TIMEOUT_SECONDS (20 s", error.Message, StringComparison.Ordinal);
        Assert.Contains("INTERNAL_ERROR", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, services.Counters.Total(Refused, MLflowTrackingMetrics.RefusalReasons.LoadTimeout));
    }

    [Fact]
    public async Task The_cache_keeps_only_the_versions_it_is_told_to()
    {
        for (var version = 1; version <= 3; version++)
        {
            _mlflow.RegisterModelVersion("classifier", version.ToString(System.Globalization.CultureInfo.InvariantCulture), ModelFiles(ShuffleNet));
        }

        await using var services = Services("models:/classifier@champion");
        var source = services.Get<RegisteredModelSource>();
        var paths = new List<string>();
        foreach (var version in new[] { "1", "2", "3" })
        {
            paths.Add((await source.FetchVersionAsync(version, CancellationToken.None)).ModelPath);
        }

        ((IModelSource)source).KeepOnly(["3", "2"]);

        Assert.False(File.Exists(paths[0]));
        Assert.False(Directory.Exists(Path.GetDirectoryName(paths[0])));
        Assert.True(File.Exists(paths[1]));
        Assert.True(File.Exists(paths[2]));
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

    private static Dictionary<string, byte[]> ModelFiles(byte[] onnx) => new(StringComparer.Ordinal)
    {
        ["MLmodel"] = Encoding.UTF8.GetBytes("flavors:\n  onnx:\n    data: model.onnx\n"),
        ["model.onnx"] = onnx,
    };
}
