using Polly;

namespace ImageClassifier.Fetching;

/// <summary>
/// The end of one fetch's time budget (FETCH_TIMEOUT_SECONDS), shared by every redirect hop,
/// every retry and the body read. It travels in the Polly context so that the pipeline's
/// total timeout and its Retry-After clamp both measure from the same start.
/// </summary>
internal sealed class FetchDeadline(TimeProvider timeProvider, TimeSpan total)
{
    public static readonly ResiliencePropertyKey<FetchDeadline> Key = new("image-fetcher.deadline");

    private readonly long startedAt = timeProvider.GetTimestamp();

    public TimeSpan Remaining
    {
        get
        {
            var left = total - timeProvider.GetElapsedTime(startedAt);
            return left > TimeSpan.Zero ? left : TimeSpan.Zero;
        }
    }

    /// <summary>The time left in the context's deadline, or <paramref name="total"/> if it carries none.</summary>
    public static TimeSpan RemainingIn(ResilienceContext context, TimeSpan total) =>
        context.Properties.TryGetValue(Key, out var deadline) ? deadline.Remaining : total;
}
