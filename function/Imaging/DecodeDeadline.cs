using ImageClassifier.Failures;

namespace ImageClassifier.Imaging;

/// <summary>
/// How long one decode may run on its worker, counted from when the worker starts it (not from
/// when it was queued), and the request's cancellation. The decoder checks it between rows and,
/// where it reads through a stream, whenever it reads more of the image.
/// </summary>
public readonly struct DecodeDeadline(TimeProvider time, TimeSpan limit, CancellationToken cancellationToken)
{
    private readonly long started = time.GetTimestamp();

    public CancellationToken CancellationToken => cancellationToken;

    public bool Passed => time.GetElapsedTime(started) > limit;

    /// <summary>Throws if the request was cancelled, or a 422 <c>image-decode-timeout</c> once the deadline has passed.</summary>
    public void Check()
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (Passed)
        {
            throw Problems.ImageDecodeTimeout.Failure(
                $"Decoding the image took longer than {limit.TotalSeconds:0.###} s (DECODE_TIMEOUT_SECONDS) and was abandoned.");
        }
    }
}
