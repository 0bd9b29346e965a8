using System.Threading.Channels;
using ImageClassifier.MLflow.Client;
using Microsoft.Extensions.Options;

namespace ImageClassifier.MLflow.Tracking;

/// <summary>
/// The bounded queue between classification and MLflow: bounded in predictions
/// (MLFLOW_QUEUE_CAPACITY) and in the bytes of the images they carry (MLFLOW_QUEUE_MAX_BYTES).
/// Writing never waits (a full queue refuses), and once closed for shutdown it takes nothing more.
/// </summary>
public sealed class PendingPredictions(IOptions<MLflowOptions> options)
{
    private readonly Channel<TrackedPrediction> _channel = Channel.CreateBounded<TrackedPrediction>(
        new BoundedChannelOptions(options.Value.QueueCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
            SingleWriter = false,
        });

    private volatile bool _closed;
    private long _imageBytes;

    public bool IsClosed => _closed;

    public ChannelReader<TrackedPrediction> Reader => _channel.Reader;

    /// <summary>Bytes of images held for predictions queued or being logged.</summary>
    public long ImageBytes => Interlocked.Read(ref _imageBytes);

    /// <summary>Takes room for an image of <paramref name="bytes"/>; false when the images held would pass MLFLOW_QUEUE_MAX_BYTES.</summary>
    public bool TryReserveImage(long bytes)
    {
        var limit = options.Value.QueueMaxBytes;
        var held = Interlocked.Read(ref _imageBytes);
        while (held + bytes <= limit)
        {
            var seen = Interlocked.CompareExchange(ref _imageBytes, held + bytes, held);
            if (seen == held)
            {
                return true;
            }

            held = seen;
        }

        return false;
    }

    /// <summary>Gives back the room of a prediction's image, once it is logged, dropped or refused.</summary>
    public void ReleaseImage(TrackedPrediction prediction)
    {
        if (prediction.Image is { Length: > 0 } image)
        {
            Interlocked.Add(ref _imageBytes, -image.Length);
        }
    }

    /// <summary>False when the queue is full or closed; the caller counts the drop and gives back the image's room.</summary>
    public bool TryAdd(TrackedPrediction prediction) => _channel.Writer.TryWrite(prediction);

    /// <summary>No more predictions are taken; those queued are still read.</summary>
    public void Close()
    {
        _closed = true;
        _channel.Writer.TryComplete();
    }
}
