using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using ImageClassifier.MLflow.Client;
using ImageClassifier.MLflow.Tracking;

namespace ImageClassifier.Tests.MLflow;

/// <summary>
/// One prediction, one MLflow run, logged in the background: the calls and their bodies, the
/// credentials, and what happens when MLflow is down, slow, failing or the host stops.
/// </summary>
public sealed class PredictionTrackingTests : IAsyncLifetime
{
    private static readonly Uri CatUrl = new("https://images.example/cats/cat.jpg");
    private MLflowStandIn _mlflow = null!;

    public async Task InitializeAsync() => _mlflow = await MLflowStandIn.StartAsync();

    public async Task DisposeAsync() => await _mlflow.DisposeAsync();

    [Fact]
    public async Task One_prediction_makes_the_calls_the_Python_client_makes_with_their_bodies()
    {
        await using var services = new MLflowServices(_mlflow.BaseAddress, new Dictionary<string, string?> { ["MLFLOW_LOG_IMAGES"] = "true" });
        var image = TestImages.Read("rocket.jpg");
        var time = services.Clock.GetUtcNow().ToUnixTimeMilliseconds();

        await services.TrackingService.StartAsync(CancellationToken.None);
        services.Tracker.Track(Predictions.UrlRequest(CatUrl, eventId: "event-1"), Predictions.Result(CatUrl), image);
        await services.TrackingService.StopAsync(CancellationToken.None);

        var calls = _mlflow.Calls;
        Assert.Equal(
        [
            "GET /api/2.0/mlflow/experiments/get-by-name → 404",
            "POST /api/2.0/mlflow/experiments/create → 200",
            "POST /api/2.0/mlflow/runs/create → 200",
            "POST /api/2.0/mlflow/runs/log-batch → 200",
            "PUT /api/2.0/mlflow-artifacts/artifacts/1/{run}/artifacts/images/cat.jpg → 200",
            "POST /api/2.0/mlflow/runs/update → 200",
        ], calls.Select(call => $"{call.Method} {call.Path.Replace(RunId(calls), "{run}", StringComparison.Ordinal)} → {call.Status}"));
        Assert.Equal("?experiment_name=image_classification_experiment", calls[0].Query);
        Assert.Equal("""{"name":"image_classification_experiment"}""", calls[1].Text);

        var create = calls[2].Json;
        Assert.Equal("1", (string?)create["experiment_id"]);
        Assert.Equal(time, (long?)create["start_time"]);
        Assert.Equal("prediction-20250601T120000000Z", (string?)create["run_name"]);
        Assert.Equal(Environment.UserName, (string?)create["user_id"]);
        Assert.Equal(
            ["mlflow.user=" + Environment.UserName, "mlflow.source.name=image-classifier", "mlflow.source.type=JOB", "mlflow.runName=prediction-20250601T120000000Z"],
            create["tags"]!.AsArray().Select(tag => $"{tag!["key"]}={tag["value"]}"));

        Assert.Equal(
            $$"""{"run_id":"{{RunId(calls)}}","metrics":[{"key":"prediction_confidence","value":0.5,"timestamp":{{time}},"step":0}],"params":[{"key":"image_url","value":"https://images.example/cats/cat.jpg"},{"key":"model_name","value":"mobilenetv2-12-int8"},{"key":"model_sha256","value":"{{Predictions.Model.Sha256}}"},{"key":"cloudevent_id","value":"event-1"}],"tags":[{"key":"predicted_label","value":"Egyptian cat"},{"key":"predicted_index","value":"285"},{"key":"predicted_synset","value":"n02124075"}]}""",
            calls[3].Text);
        Assert.Equal("image/jpeg", calls[4].ContentType);
        Assert.Equal(image, calls[4].Body);
        Assert.Equal($$"""{"run_id":"{{RunId(calls)}}","run_uuid":"{{RunId(calls)}}","status":"FINISHED","end_time":{{time}}}""", calls[5].Text);

        var run = _mlflow.RunById(RunId(calls));
        Assert.Equal("FINISHED", run.Status);
        Assert.Equal("Egyptian cat", run.Tags["predicted_label"]);
        Assert.Equal(1, services.Counters.Logged);
    }

    [Fact]
    public async Task A_byte_request_logs_the_image_sha256_and_the_experiment_is_looked_up_once()
    {
        await using var services = new MLflowServices(_mlflow.BaseAddress);
        var image = TestImages.Read("chelsea.png");

        await services.TrackingService.StartAsync(CancellationToken.None);
        services.Tracker.Track(Predictions.BytesRequest(image), Predictions.Result(null), image);
        services.Tracker.Track(Predictions.BytesRequest(image), Predictions.Result(null), image);
        await services.TrackingService.StopAsync(CancellationToken.None);

        Assert.Single(_mlflow.CallsTo("/api/2.0/mlflow/experiments/get-by-name"));
        Assert.Single(_mlflow.CallsTo("/api/2.0/mlflow/experiments/create"));
        Assert.DoesNotContain(_mlflow.Calls, call => call.Method == "PUT");
        var batch = _mlflow.CallsTo("/api/2.0/mlflow/runs/log-batch")[0].Json;
        var parameters = batch["params"]!.AsArray().ToDictionary(p => (string)p!["key"]!, p => (string?)p!["value"]);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(image)), parameters["image_sha256"]);
        Assert.False(parameters.ContainsKey("image_url"));
        Assert.False(parameters.ContainsKey("cloudevent_id"));
        Assert.Equal(2, services.Counters.Logged);
    }

    [Fact]
    public async Task An_image_over_the_cap_is_not_stored_and_the_run_says_so()
    {
        await using var services = new MLflowServices(_mlflow.BaseAddress,
            new Dictionary<string, string?> { ["MLFLOW_LOG_IMAGES"] = "true", ["MLFLOW_LOG_IMAGE_MAX_BYTES"] = "100" });

        await services.TrackingService.StartAsync(CancellationToken.None);
        services.Tracker.Track(Predictions.UrlRequest(CatUrl), Predictions.Result(CatUrl), TestImages.Read("rocket.jpg"));
        await services.TrackingService.StopAsync(CancellationToken.None);

        Assert.DoesNotContain(_mlflow.Calls, call => call.Method == "PUT");
        var run = _mlflow.RunById(RunId(_mlflow.Calls));
        Assert.StartsWith("larger than MLFLOW_LOG_IMAGE_MAX_BYTES", run.Tags["image_not_logged"], StringComparison.Ordinal);
        Assert.Equal("FINISHED", run.Status);
    }

    [Theory]
    [InlineData("https://bucket.s3.amazonaws.com/cats/cat.jpg?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIA&X-Amz-Signature=0f1e2d", "https://bucket.s3.amazonaws.com/cats/cat.jpg")]
    [InlineData("https://account.blob.core.windows.net/images/cat.jpg?sv=2022-11-02&sig=c2VjcmV0%3D", "https://account.blob.core.windows.net/images/cat.jpg")]
    [InlineData("https://scientist:pa55word@images.example:8443/a%20b/cat.jpg?token=t0ken#top", "https://images.example:8443/a%20b/cat.jpg")]
    public async Task An_image_URL_is_recorded_as_scheme_host_and_path_without_its_query_or_credentials(string url, string recorded)
    {
        await using var services = new MLflowServices(_mlflow.BaseAddress);
        var imageUrl = new Uri(url);

        await services.TrackingService.StartAsync(CancellationToken.None);
        services.Tracker.Track(Predictions.UrlRequest(imageUrl), Predictions.Result(imageUrl), default);
        await services.TrackingService.StopAsync(CancellationToken.None);

        Assert.Equal(recorded, _mlflow.RunById(RunId(_mlflow.Calls)).Params["image_url"]);
        Assert.All(["0f1e2d", "AKIA", "c2VjcmV0", "pa55word", "t0ken"], secret =>
            Assert.DoesNotContain(_mlflow.Calls, call => call.Text.Contains(secret, StringComparison.Ordinal) || call.Query.Contains(secret, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Images_past_MLFLOW_QUEUE_MAX_BYTES_are_left_out_and_every_run_is_still_logged()
    {
        var image = TestImages.Read("rocket.jpg");
        await using var services = new MLflowServices(_mlflow.BaseAddress, new Dictionary<string, string?>
        {
            ["MLFLOW_LOG_IMAGES"] = "true",
            ["MLFLOW_QUEUE_MAX_BYTES"] = (3 * image.Length).ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        var queue = services.Get<PendingPredictions>();
        _mlflow.Hold();

        await services.TrackingService.StartAsync(CancellationToken.None);
        for (var i = 0; i < 10; i++)
        {
            services.Tracker.Track(Predictions.UrlRequest(CatUrl), Predictions.Result(CatUrl), image);
        }

        Assert.Equal(3 * image.Length, queue.ImageBytes);
        _mlflow.Release();
        await services.TrackingService.StopAsync(CancellationToken.None);

        Assert.Equal(10, services.Counters.Logged);
        Assert.Equal(0, queue.ImageBytes);
        Assert.Equal(3, _mlflow.Calls.Count(call => call.Method == "PUT"));
        var skipped = _mlflow.Runs().Where(run => run.Tags.ContainsKey("image_not_logged")).ToList();
        Assert.Equal(7, skipped.Count);
        Assert.All(skipped, run => Assert.Equal(
            $"the MLflow queue already holds MLFLOW_QUEUE_MAX_BYTES ({3 * image.Length} bytes) of images", run.Tags["image_not_logged"]));
        Assert.All(_mlflow.Runs(), run => Assert.Equal("FINISHED", run.Status));
        Assert.Single(services.Logs.Warnings, warning => warning.Contains("logged without their images", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_thousand_5_MiB_images_with_MLflow_stuck_hold_no_more_than_the_queue_s_bytes()
    {
        var image = new byte[MLflowOptions.DefaultLogImageMaxBytes];
        image[0] = 0xFF;
        await using var services = new MLflowServices(_mlflow.BaseAddress, new Dictionary<string, string?> { ["MLFLOW_LOG_IMAGES"] = "true" });
        var queue = services.Get<PendingPredictions>();
        _mlflow.Hold();

        await services.TrackingService.StartAsync(CancellationToken.None);
        for (var i = 0; i < 1000; i++)
        {
            services.Tracker.Track(Predictions.BytesRequest(image), Predictions.Result(null), image);
        }

        // Six 5 MiB copies fit the default 32 MiB; the other 994 predictions wait without their image.
        Assert.Equal(6L * image.Length, queue.ImageBytes);
        Assert.Equal(1000, queue.Reader.Count + 1);
        using var shutdown = new CancellationTokenSource();
        await shutdown.CancelAsync();
        await services.TrackingService.StopAsync(shutdown.Token);
        Assert.Equal(0, queue.ImageBytes);
    }

    [Fact]
    public async Task A_user_and_password_in_the_tracking_URI_are_never_logged_nor_sent()
    {
        var withSecret = new UriBuilder(_mlflow.BaseAddress) { UserName = "scientist", Password = "uri-s3cret" }.Uri;
        await using var services = new MLflowServices(withSecret);

        await services.TrackingService.StartAsync(CancellationToken.None);
        services.Tracker.Track(Predictions.UrlRequest(CatUrl), Predictions.Result(CatUrl), default);
        await services.TrackingService.StopAsync(CancellationToken.None);

        Assert.Equal(1, services.Counters.Logged);
        Assert.Contains(services.Logs.Warnings, warning => warning.Contains("MLFLOW_TRACKING_URI carries a user or password", StringComparison.Ordinal));
        Assert.Contains(services.Logs.Entries, entry => entry.Message.Contains(_mlflow.BaseAddress.Authority, StringComparison.Ordinal));
        Assert.DoesNotContain(services.Logs.Entries, entry => entry.ToString().Contains("uri-s3cret", StringComparison.Ordinal)
            || entry.Values.Values.Any(value => value?.ToString()?.Contains("uri-s3cret", StringComparison.Ordinal) == true));
        Assert.All(_mlflow.Calls, call => Assert.Null(call.Authorization));
    }

    [Theory]
    [InlineData("basic")]
    [InlineData("bearer")]
    public async Task The_credentials_go_in_the_Authorization_header(string scheme)
    {
        _mlflow.RequiredAuthorization = scheme == "basic"
            ? "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("scientist:s3cret"))
            : "Bearer token-123";
        var settings = scheme == "basic"
            ? new Dictionary<string, string?> { ["MLFLOW_TRACKING_USERNAME"] = "scientist", ["MLFLOW_TRACKING_PASSWORD"] = "s3cret" }
            : new Dictionary<string, string?> { ["MLFLOW_TRACKING_TOKEN"] = "token-123" };
        await using var services = new MLflowServices(_mlflow.BaseAddress, settings);

        await services.TrackingService.StartAsync(CancellationToken.None);
        services.Tracker.Track(Predictions.UrlRequest(CatUrl), Predictions.Result(CatUrl), default);
        await services.TrackingService.StopAsync(CancellationToken.None);

        Assert.All(_mlflow.Calls, call => Assert.Equal(_mlflow.RequiredAuthorization, call.Authorization));
        Assert.Equal(1, services.Counters.Logged);
        Assert.Equal("FINISHED", _mlflow.RunById(RunId(_mlflow.Calls)).Status);
    }

    [Theory]
    [InlineData("basic")]
    [InlineData("bearer")]
    [InlineData("none")]
    public async Task Wrong_credentials_get_401_and_the_prediction_is_counted_as_dropped(string scheme)
    {
        _mlflow.RequiredAuthorization = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("scientist:s3cret"));
        var settings = scheme switch
        {
            "basic" => new Dictionary<string, string?> { ["MLFLOW_TRACKING_USERNAME"] = "scientist", ["MLFLOW_TRACKING_PASSWORD"] = "wrong" },
            "bearer" => new Dictionary<string, string?> { ["MLFLOW_TRACKING_TOKEN"] = "token-123" },
            _ => [],
        };
        await using var services = new MLflowServices(_mlflow.BaseAddress, settings);

        await services.TrackingService.StartAsync(CancellationToken.None);
        services.Tracker.Track(Predictions.UrlRequest(CatUrl), Predictions.Result(CatUrl), default);
        await services.TrackingService.StopAsync(CancellationToken.None);

        Assert.Equal(HttpStatusCode.Unauthorized, (HttpStatusCode)Assert.Single(_mlflow.Calls).Status);
        Assert.Equal(1, services.Counters.Dropped("failed"));
        Assert.Contains(services.Logs.Warnings, warning => warning.Contains("refused the credentials (401)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task MLflow_down_costs_the_caller_nothing_and_the_drop_is_counted()
    {
        await using var services = new MLflowServices(ClosedPort());

        await services.TrackingService.StartAsync(CancellationToken.None);
        services.Tracker.Track(Predictions.UrlRequest(CatUrl), Predictions.Result(CatUrl), default);
        await services.TrackingService.StopAsync(CancellationToken.None);

        Assert.Equal(1, services.Counters.Dropped("failed"));
        Assert.Equal(0, services.Counters.Logged);
        Assert.Contains(services.Logs.Warnings, warning => warning.Contains("could not be reached", StringComparison.Ordinal));
    }

    [Fact]
    public async Task MLflow_answering_500_fails_the_prediction_s_logging_only()
    {
        _mlflow.FailEverythingWith = HttpStatusCode.InternalServerError;
        await using var services = new MLflowServices(_mlflow.BaseAddress);

        await services.TrackingService.StartAsync(CancellationToken.None);
        services.Tracker.Track(Predictions.UrlRequest(CatUrl), Predictions.Result(CatUrl), default);
        services.Tracker.Track(Predictions.UrlRequest(CatUrl), Predictions.Result(CatUrl), default);
        await services.TrackingService.StopAsync(CancellationToken.None);

        Assert.Equal(2, services.Counters.Dropped("failed"));
        Assert.Contains(services.Logs.Warnings, warning => warning.Contains("INTERNAL_ERROR", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_500_is_retried_with_backoff_on_the_injected_clock()
    {
        _mlflow.FailEverythingWith = HttpStatusCode.ServiceUnavailable;
        await using var services = new MLflowServices(_mlflow.BaseAddress, new Dictionary<string, string?> { ["MLFLOW_HTTP_REQUEST_MAX_RETRIES"] = "3" });

        await services.TrackingService.StartAsync(CancellationToken.None);
        services.Tracker.Track(Predictions.UrlRequest(CatUrl), Predictions.Result(CatUrl), default);
        await _mlflow.WaitForAsync(calls => calls.Count == 1);
        _mlflow.FailEverythingWith = null;
        while (_mlflow.Calls.Count < 2)
        {
            services.Clock.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(5);
        }

        await services.TrackingService.StopAsync(CancellationToken.None);

        Assert.Equal(["503", "404"], _mlflow.CallsTo("/api/2.0/mlflow/experiments/get-by-name").Select(call => call.Status.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(1, services.Counters.Logged);
    }

    [Fact]
    public async Task A_full_queue_drops_and_counts_and_Track_never_waits_for_a_slow_MLflow()
    {
        await using var services = new MLflowServices(_mlflow.BaseAddress, new Dictionary<string, string?> { ["MLFLOW_QUEUE_CAPACITY"] = "2" });
        _mlflow.Hold();

        await services.TrackingService.StartAsync(CancellationToken.None);
        services.Tracker.Track(Predictions.UrlRequest(CatUrl), Predictions.Result(CatUrl), default);
        await _mlflow.WaitForAsync(_ => services.Counters.Logged == 0 && QueueIsEmpty(services));
        for (var i = 0; i < 4; i++)
        {
            // Returns although MLflow holds every call: Track is synchronous and does no I/O.
            services.Tracker.Track(Predictions.UrlRequest(CatUrl), Predictions.Result(CatUrl), default);
        }

        Assert.Equal(2, services.Counters.Dropped("queue_full"));
        Assert.Contains(services.Logs.Warnings, warning => warning.Contains("queue is full", StringComparison.Ordinal));
        _mlflow.Release();
        await services.TrackingService.StopAsync(CancellationToken.None);
        Assert.Equal(3, services.Counters.Logged);
    }

    [Fact]
    public async Task Shutdown_drains_the_queue()
    {
        await using var services = new MLflowServices(_mlflow.BaseAddress);
        _mlflow.Hold();

        await services.TrackingService.StartAsync(CancellationToken.None);
        for (var i = 0; i < 3; i++)
        {
            services.Tracker.Track(Predictions.UrlRequest(CatUrl), Predictions.Result(CatUrl), default);
        }

        var stopping = services.TrackingService.StopAsync(CancellationToken.None);
        services.Tracker.Track(Predictions.UrlRequest(CatUrl), Predictions.Result(CatUrl), default);
        _mlflow.Release();
        await stopping;

        Assert.Equal(3, services.Counters.Logged);
        Assert.Equal(1, services.Counters.Dropped("shutdown"));
        Assert.Equal(3, _mlflow.CallsTo("/api/2.0/mlflow/runs/update").Count(call => call.Json["status"]!.ToString() == "FINISHED"));
    }

    [Fact]
    public async Task What_the_shutdown_timeout_leaves_is_counted_as_dropped()
    {
        await using var services = new MLflowServices(_mlflow.BaseAddress);
        _mlflow.Hold();

        await services.TrackingService.StartAsync(CancellationToken.None);
        for (var i = 0; i < 3; i++)
        {
            services.Tracker.Track(Predictions.UrlRequest(CatUrl), Predictions.Result(CatUrl), default);
        }

        using var shutdownTimeout = new CancellationTokenSource();
        await shutdownTimeout.CancelAsync();
        await services.TrackingService.StopAsync(shutdownTimeout.Token);

        Assert.Equal(0, services.Counters.Logged);
        Assert.Equal(3, services.Counters.Dropped("shutdown"));
    }

    [Fact]
    public async Task Without_a_tracking_URI_the_tracker_does_nothing()
    {
        await using var services = new MLflowServices(_mlflow.BaseAddress, new Dictionary<string, string?> { ["MLFLOW_TRACKING_URI"] = "" });

        await services.TrackingService.StartAsync(CancellationToken.None);
        services.Tracker.Track(Predictions.UrlRequest(CatUrl), Predictions.Result(CatUrl), default);
        await services.TrackingService.StopAsync(CancellationToken.None);

        Assert.IsType<DisabledPredictionTracker>(services.Tracker);
        Assert.Empty(_mlflow.Calls);
    }

    private static bool QueueIsEmpty(MLflowServices services) =>
        services.Get<PendingPredictions>().Reader.Count == 0;

    private static string RunId(IReadOnlyList<RecordedCall> calls) =>
        (string)calls.First(call => call.Path.EndsWith("/runs/log-batch", StringComparison.Ordinal)).Json["run_id"]!;

    private static Uri ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return new Uri($"http://127.0.0.1:{port}/");
    }
}
