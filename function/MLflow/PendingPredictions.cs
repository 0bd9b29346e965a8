using System.Threading.Channels;
using Microsoft.Extensions.Options;

namespace ImageClassifier.MLflow;

/// <summary>
/// The bounded queue between classification and MLflow: writing never waits (a full queue
/// refuses), and once closed for shutdown it takes nothing more.
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

    public bool IsClosed => _closed;

    public ChannelReader<TrackedPrediction> Reader => _channel.Reader;

    /// <summary>False when the queue is full or closed; the caller counts the drop.</summary>
    public bool TryAdd(TrackedPrediction prediction) => _channel.Writer.TryWrite(prediction);

    /// <summary>No more predictions are taken; those queued are still read.</summary>
    public void Close()
    {
        _closed = true;
        _channel.Writer.TryComplete();
    }
}
