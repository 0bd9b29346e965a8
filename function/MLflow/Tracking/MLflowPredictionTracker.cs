using System.Security.Cryptography;
using ImageClassifier.MLflow.Client;
using Microsoft.Extensions.Options;

namespace ImageClassifier.MLflow.Tracking;

/// <summary>
/// Turns a classification into a <see cref="TrackedPrediction"/> and queues it. The only work
/// done on the request's time is what cannot wait, since the image's memory is not ours after
/// the call: its SHA-256 for byte requests, and a copy when images are logged.
/// </summary>
public sealed class MLflowPredictionTracker(
    PendingPredictions queue,
    MLflowTrackingMetrics metrics,
    IOptions<MLflowOptions> options,
    TimeProvider timeProvider,
    ILogger<MLflowPredictionTracker> logger) : IPredictionTracker
{
    /// <summary>
    /// An image URL is queued cut to 2 KiB of characters: the queue is bounded in predictions and in
    /// image bytes, so each prediction's other fields must be small too (a URL may be 64 K long).
    /// </summary>
    public const int MaxQueuedUrlChars = 2048;

    private long _droppedWhileFull;
    private long _imagesSkippedWhileFull;

    public void Track(ClassificationRequest request, ClassificationResult result, ReadOnlyMemory<byte> image)
    {
        if (result.Predictions.Count == 0)
        {
            return;
        }

        if (queue.IsClosed)
        {
            metrics.Dropped(MLflowTrackingMetrics.Reasons.Shutdown);
            return;
        }

        var prediction = Describe(request, result, image);
        if (!queue.TryAdd(prediction))
        {
            queue.ReleaseImage(prediction);
            metrics.Dropped(queue.IsClosed ? MLflowTrackingMetrics.Reasons.Shutdown : MLflowTrackingMetrics.Reasons.QueueFull);
            if (Interlocked.Increment(ref _droppedWhileFull) == 1)
            {
                logger.LogWarning("The MLflow tracking queue is full ({Capacity} predictions): predictions are dropped until MLflow catches up",
                    options.Value.QueueCapacity);
            }

            return;
        }

        var dropped = Interlocked.Exchange(ref _droppedWhileFull, 0);
        if (dropped > 0)
        {
            logger.LogWarning("{Dropped} predictions were dropped while the MLflow tracking queue was full", dropped);
        }
    }

    /// <summary>
    /// The image URL as MLflow records it: scheme, host, port and path, without the query (a
    /// presigned URL's X-Amz-Signature, sig= or token=), the fragment or a user and password.
    /// </summary>
    public static string? Recordable(Uri? url) =>
        url?.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped);

    private static string? Cut(string? url) => url is { Length: > MaxQueuedUrlChars } ? url[..MaxQueuedUrlChars] : url;

    private TrackedPrediction Describe(ClassificationRequest request, ClassificationResult result, ReadOnlyMemory<byte> image)
    {
        var settings = options.Value;
        var sha256 = request.Url is null && !image.IsEmpty ? Convert.ToHexStringLower(SHA256.HashData(image.Span)) : null;
        byte[]? copy = null;
        string? skipped = null;
        if (settings.LogImages && !image.IsEmpty)
        {
            if (image.Length > settings.LogImageMaxBytes)
            {
                skipped = $"larger than MLFLOW_LOG_IMAGE_MAX_BYTES ({settings.LogImageMaxBytes} bytes)";
            }
            else if (!queue.TryReserveImage(image.Length))
            {
                skipped = $"the MLflow queue already holds MLFLOW_QUEUE_MAX_BYTES ({settings.QueueMaxBytes} bytes) of images";
                if (Interlocked.Increment(ref _imagesSkippedWhileFull) == 1)
                {
                    logger.LogWarning("The MLflow queue holds MLFLOW_QUEUE_MAX_BYTES ({MaxBytes} bytes) of images: predictions are logged without their images until MLflow catches up",
                        settings.QueueMaxBytes);
                }
            }
            else
            {
                copy = image.ToArray();
                Interlocked.Exchange(ref _imagesSkippedWhileFull, 0);
            }
        }

        return new TrackedPrediction(
            timeProvider.GetUtcNow(),
            Cut(Recordable(result.Url ?? request.Url)),
            sha256,
            request.EventId,
            result.Model,
            result.Predictions[0],
            copy,
            copy is null ? null : ImageArtifactName.For(request.Url, copy),
            skipped);
    }
}
