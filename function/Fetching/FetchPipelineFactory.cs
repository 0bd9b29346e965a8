using System.Net;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace ImageClassifier.Fetching;

/// <summary>
/// Builds the pipeline one request of the image client goes through: the total timeout
/// (what is left of the fetch's <see cref="FetchDeadline"/>) outside, the retry of transient
/// failures, and the per-attempt timeout inside.
/// </summary>
internal static class FetchPipelineFactory
{
    public static ResiliencePipeline<HttpResponseMessage> Create(FetchOptions options, TimeProvider timeProvider, ILogger logger)
    {
        var total = options.Timeout;
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage> { Name = "image-fetcher", TimeProvider = timeProvider };

        builder.AddTimeout(new TimeoutStrategyOptions
        {
            Name = "total",
            Timeout = total,
            // Polly treats a zero timeout as none, so a spent budget becomes the shortest one.
            TimeoutGenerator = args => ValueTask.FromResult(
                TimeSpan.FromTicks(Math.Max(1, FetchDeadline.RemainingIn(args.Context, total).Ticks))),
        });

        // Polly's retry needs at least one attempt; FETCH_MAX_RETRIES=0 means no retry strategy.
        if (options.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = options.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryDelay,
                ShouldHandle = args => ValueTask.FromResult(IsTransient(args.Outcome)),
                DelayGenerator = args => ValueTask.FromResult(RetryAfterDelay(
                    args.Outcome.Result, FetchDeadline.RemainingIn(args.Context, total), timeProvider.GetUtcNow())),
                OnRetry = args =>
                {
                    logger.LogWarning("Image fetch attempt {Attempt} failed ({Reason}); retrying in {Delay}.",
                        args.AttemptNumber + 1, Describe(args.Outcome), args.RetryDelay);
                    return ValueTask.CompletedTask;
                },
            });
        }

        builder.AddTimeout(new TimeoutStrategyOptions { Name = "attempt", Timeout = options.AttemptTimeout });
        return builder.Build();
    }

    /// <summary>
    /// Connection failures, attempt timeouts, 408, 429 and 5xx may pass; a refused address and
    /// any other status will not change by asking again.
    /// </summary>
    public static bool IsTransient(Outcome<HttpResponseMessage> outcome) => outcome switch
    {
        { Exception: HttpRequestException failure } => !AddressRefusedException.IsCauseOf(failure),
        { Exception: TimeoutRejectedException } => true,
        // SocketsHttpHandler's ConnectTimeout.
        { Exception: TaskCanceledException { InnerException: TimeoutException } } => true,
        { Result: { } response } => IsTransient(response.StatusCode),
        _ => false,
    };

    public static bool IsTransient(HttpStatusCode status) =>
        status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)status is >= 500 and < 600;

    /// <summary>
    /// The upstream's Retry-After (seconds or an HTTP date), never longer than the time left:
    /// waiting past the deadline could only end in the total timeout. Null when there is no
    /// Retry-After, so that the exponential backoff applies.
    /// </summary>
    public static TimeSpan? RetryAfterDelay(HttpResponseMessage? response, TimeSpan remaining, DateTimeOffset now)
    {
        TimeSpan? asked = response?.Headers.RetryAfter switch
        {
            { Delta: { } delta } => delta,
            { Date: { } date } => date - now,
            _ => null,
        };

        return asked is { } wait ? TimeSpan.FromTicks(Math.Clamp(wait.Ticks, 0, remaining.Ticks)) : null;
    }

    private static string Describe(Outcome<HttpResponseMessage> outcome) =>
        outcome.Result is { } response ? $"status {(int)response.StatusCode}" : outcome.Exception?.GetType().Name ?? "no outcome";
}
