using ImageClassifier.MLflow.Client;
using ImageClassifier.MLflow.Tracking;

namespace ImageClassifier.Tests.MLflow;

/// <summary>
/// What one queued prediction may hold, and what a tracking server that answers without end costs:
/// its URL cut to 2 KiB before it is queued, and each answer read no further than its cap.
/// </summary>
public sealed class TrackingBoundsTests : IAsyncLifetime
{
    private MLflowStandIn _mlflow = null!;

    public async Task InitializeAsync() => _mlflow = await MLflowStandIn.StartAsync();

    public async Task DisposeAsync() => await _mlflow.DisposeAsync();

    [Fact]
    public async Task An_image_URL_of_64_K_characters_is_queued_cut_to_2_KiB()
    {
        var url = new Uri("https://images.example/" + new string('p', 64 * 1024) + ".jpg");
        await using var services = new MLflowServices(_mlflow.BaseAddress);

        services.Tracker.Track(Predictions.UrlRequest(url), Predictions.Result(url), ReadOnlyMemory<byte>.Empty);

        Assert.True(services.Get<PendingPredictions>().Reader.TryRead(out var queued));
        Assert.Equal(MLflowPredictionTracker.MaxQueuedUrlChars, queued.ImageUrl!.Length);
        Assert.StartsWith("https://images.example/ppp", queued.ImageUrl, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Answers_without_end_are_cut_at_their_cap_and_every_prediction_is_counted_as_not_logged()
    {
        _mlflow.AnswerWithoutEnd = true;
        await using var services = new MLflowServices(_mlflow.BaseAddress, new Dictionary<string, string?> { ["MLFLOW_MAX_RESPONSE_BYTES"] = "65536" });
        var url = new Uri("https://images.example/cat.jpg");

        await services.TrackingService.StartAsync(CancellationToken.None);
        for (var prediction = 0; prediction < 30; prediction++)
        {
            services.Tracker.Track(Predictions.UrlRequest(url), Predictions.Result(url), ReadOnlyMemory<byte>.Empty);
        }

        await Harness.Eventually.WaitAsync(() => services.Counters.Dropped(MLflowTrackingMetrics.Reasons.Failed) == 30, "not every prediction was given up");
        await services.TrackingService.StopAsync(CancellationToken.None);

        Assert.Equal(0, services.Counters.Logged);
        Assert.Equal(30, services.Counters.Total(MLflowTrackingMetrics.RefusedCounterName, MLflowTrackingMetrics.RefusalReasons.TooLarge));
        Assert.Contains(services.Logs.Warnings, warning => warning.Contains("longer than 65536 bytes (MLFLOW_MAX_RESPONSE_BYTES)", StringComparison.Ordinal));
    }
}
