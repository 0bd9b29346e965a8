using ImageClassifier.MLflow.Client;
using Microsoft.Extensions.Options;

namespace ImageClassifier.MLflow.Tracking;

/// <summary>
/// Logs queued predictions to MLflow one at a time, in the background. On shutdown it stops
/// taking new ones and logs what is queued until the host's shutdown token fires
/// (HostOptions.ShutdownTimeout); whatever is left then is counted as dropped.
/// </summary>
public sealed class PredictionTrackingService(
    PendingPredictions queue,
    PredictionRunLogger runLogger,
    MLflowTrackingMetrics metrics,
    IOptions<MLflowOptions> options,
    ILogger<PredictionTrackingService> logger) : IHostedService, IDisposable
{
    private readonly CancellationTokenSource _abort = new();
    private Task _worker = Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value.TrackingEnabled)
        {
            // TrackingServer has no user or password in it, whatever MLFLOW_TRACKING_URI carries.
            logger.LogInformation("Predictions are logged to MLflow at {TrackingUri}, experiment {Experiment}",
                options.Value.TrackingServer?.GetLeftPart(UriPartial.Path), options.Value.ExperimentName);
            if (options.Value.TrackingUriHasUserInfo)
            {
                logger.LogWarning("MLFLOW_TRACKING_URI carries a user or password, which is neither sent nor logged: set MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD (from a Secret) instead");
            }

            _worker = Task.Run(() => ProcessAsync(_abort.Token), CancellationToken.None);
        }

        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        queue.Close();
        await using (cancellationToken.Register(_abort.Cancel))
        {
            await _worker;
        }

        var left = 0;
        while (queue.Reader.TryRead(out var prediction))
        {
            queue.ReleaseImage(prediction);
            left++;
        }

        if (left > 0)
        {
            metrics.Dropped(MLflowTrackingMetrics.Reasons.Shutdown, left);
            logger.LogWarning("{Count} predictions were not logged to MLflow: the shutdown timeout came first", left);
        }
    }

    public void Dispose() => _abort.Dispose();

    private async Task ProcessAsync(CancellationToken abort)
    {
        try
        {
            await foreach (var prediction in queue.Reader.ReadAllAsync(abort))
            {
                try
                {
                    await runLogger.LogAsync(prediction, abort);
                    metrics.Logged();
                }
                catch (OperationCanceledException) when (abort.IsCancellationRequested)
                {
                    metrics.Dropped(MLflowTrackingMetrics.Reasons.Shutdown);
                    return;
                }
                catch (Exception exception)
                {
                    metrics.Dropped(MLflowTrackingMetrics.Reasons.Failed);
                    logger.LogWarning("A prediction was not logged to MLflow: {Reason}", Reason(exception));
                    logger.LogDebug(exception, "MLflow logging failure");
                }
                finally
                {
                    queue.ReleaseImage(prediction);
                }
            }
        }
        catch (OperationCanceledException) when (abort.IsCancellationRequested)
        {
            // Shutdown timeout: StopAsync counts what is left.
        }
    }

    private static string Reason(Exception exception) => exception switch
    {
        MLflowException mlflow => $"{mlflow.ErrorCode}: {mlflow.Message}",
        HttpRequestException http => $"MLflow could not be reached ({http.HttpRequestError})",
        Polly.Timeout.TimeoutRejectedException => "MLflow did not answer within MLFLOW_HTTP_REQUEST_TIMEOUT",
        _ => exception.Message,
    };
}
