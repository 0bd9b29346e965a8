using System.Net;
using System.Net.Http.Headers;
using ImageClassifier.Fetching;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Polly;
using Polly.Timeout;

namespace ImageClassifier.Tests.Fetching;

/// <summary>The pipeline alone, on fake time: no request leaves the process and nothing really waits.</summary>
public class FetchPipelineFactoryTests
{
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(50);

    private readonly FakeTimeProvider time = new();
    private readonly FetchOptions options = new() { TimeoutSeconds = 15, AttemptTimeoutSeconds = 10, MaxRetries = 2, RetryDelayMs = 200 };
    private readonly List<TimeSpan> attemptTimes = [];
    private readonly long start;

    public FetchPipelineFactoryTests() => start = time.GetTimestamp();

    private TimeSpan Elapsed => time.GetElapsedTime(start);

    [Fact]
    public async Task Retries_503_until_the_200()
    {
        using var response = await RunAsync(Answers(HttpStatusCode.ServiceUnavailable, HttpStatusCode.ServiceUnavailable, HttpStatusCode.OK));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(3, attemptTimes.Count);
    }

    [Fact]
    public async Task Gives_up_after_the_configured_retries_with_the_last_answer()
    {
        using var response = await RunAsync(Answers(Enumerable.Repeat(HttpStatusCode.BadGateway, 10).ToArray()));

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal(1 + options.MaxRetries, attemptTimes.Count);
    }

    [Theory]
    [InlineData(HttpStatusCode.NotFound)]
    [InlineData(HttpStatusCode.BadRequest)]
    [InlineData(HttpStatusCode.Forbidden)]
    [InlineData(HttpStatusCode.Gone)]
    public async Task Does_not_retry_a_client_error(HttpStatusCode status)
    {
        using var response = await RunAsync(Answers(status, HttpStatusCode.OK));

        Assert.Equal(status, response.StatusCode);
        Assert.Single(attemptTimes);
    }

    [Theory]
    [InlineData(HttpStatusCode.TooManyRequests)]
    [InlineData(HttpStatusCode.RequestTimeout)]
    [InlineData(HttpStatusCode.InternalServerError)]
    [InlineData(HttpStatusCode.GatewayTimeout)]
    public async Task Retries_the_passing_statuses(HttpStatusCode status)
    {
        using var response = await RunAsync(Answers(status, HttpStatusCode.OK));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, attemptTimes.Count);
    }

    [Fact]
    public async Task Retries_a_connection_failure()
    {
        var attempt = 0;
        using var response = await RunAsync(_ => ++attempt == 1
            ? throw new HttpRequestException(HttpRequestError.ConnectionError, "refused")
            : Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, attemptTimes.Count);
    }

    [Fact]
    public async Task Does_not_retry_the_guards_refusal()
    {
        await Assert.ThrowsAsync<HttpRequestException>(() => RunAsync(_ =>
            throw new HttpRequestException("refused", new AddressRefusedException("not public"))));

        Assert.Single(attemptTimes);
    }

    [Fact]
    public async Task Retries_an_attempt_that_times_out()
    {
        var attempt = 0;
        using var response = await RunAsync(async token =>
        {
            if (++attempt == 1)
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, time, token).ConfigureAwait(false);
            }

            return new HttpResponseMessage(HttpStatusCode.OK);
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, attemptTimes.Count);
        Assert.InRange(attemptTimes[1], options.AttemptTimeout, options.Timeout);
    }

    [Fact]
    public async Task The_total_timeout_ends_attempts_that_never_answer()
    {
        await Assert.ThrowsAsync<TimeoutRejectedException>(() => RunAsync(async token =>
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, time, token).ConfigureAwait(false);
            return new HttpResponseMessage(HttpStatusCode.OK);
        }));

        Assert.NotEmpty(attemptTimes);
        Assert.True(Elapsed >= options.Timeout, $"Ended after {Elapsed}, before the total timeout.");
    }

    [Fact]
    public async Task Honours_Retry_After_seconds()
    {
        var answers = new Queue<HttpResponseMessage>([RetryAfter(TimeSpan.FromSeconds(3)), new HttpResponseMessage(HttpStatusCode.OK)]);
        using var response = await RunAsync(_ => Task.FromResult(answers.Dequeue()));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.InRange(attemptTimes[1] - attemptTimes[0], TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(3) + Step);
    }

    [Fact]
    public async Task A_day_long_Retry_After_does_not_outlast_the_total_timeout()
    {
        // The clamped delay ends together with the total timeout; which of the two fires first
        // is the fake clock's choice, so either ending is right as long as it is on time.
        var failure = await Record.ExceptionAsync(async () =>
            (await RunAsync(_ => Task.FromResult(RetryAfter(TimeSpan.FromDays(1))))).Dispose());

        Assert.True(failure is null or TimeoutRejectedException, $"Unexpected {failure}");
        Assert.InRange(Elapsed, options.Timeout, options.Timeout + TimeSpan.FromSeconds(30));
    }

    [Fact]
    public void Retry_After_seconds_are_clamped_to_the_time_left()
    {
        using var response = RetryAfter(TimeSpan.FromSeconds(86400));
        Assert.Equal(TimeSpan.FromSeconds(9), FetchPipelineFactory.RetryAfterDelay(response, TimeSpan.FromSeconds(9), time.GetUtcNow()));
    }

    [Fact]
    public void Retry_After_seconds_within_the_time_left_are_kept()
    {
        using var response = RetryAfter(TimeSpan.FromSeconds(2));
        Assert.Equal(TimeSpan.FromSeconds(2), FetchPipelineFactory.RetryAfterDelay(response, TimeSpan.FromSeconds(9), time.GetUtcNow()));
    }

    [Theory]
    [InlineData(5, 5)]
    [InlineData(3600, 9)]
    [InlineData(-60, 0)]
    public void Retry_After_dates_count_from_now_and_are_clamped(int secondsFromNow, int expectedSeconds)
    {
        var now = new DateTimeOffset(2030, 1, 1, 12, 0, 0, TimeSpan.Zero);
        using var response = new HttpResponseMessage(HttpStatusCode.ServiceUnavailable);
        response.Headers.RetryAfter = new RetryConditionHeaderValue(now.AddSeconds(secondsFromNow));

        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), FetchPipelineFactory.RetryAfterDelay(response, TimeSpan.FromSeconds(9), now));
    }

    [Fact]
    public void Without_Retry_After_the_backoff_decides()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.ServiceUnavailable);
        Assert.Null(FetchPipelineFactory.RetryAfterDelay(response, TimeSpan.FromSeconds(9), time.GetUtcNow()));
        Assert.Null(FetchPipelineFactory.RetryAfterDelay(null, TimeSpan.FromSeconds(9), time.GetUtcNow()));
    }

    [Fact]
    public async Task No_retry_strategy_when_retries_are_off()
    {
        options.MaxRetries = 0;
        using var response = await RunAsync(Answers(HttpStatusCode.ServiceUnavailable, HttpStatusCode.OK));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Single(attemptTimes);
    }

    private static HttpResponseMessage RetryAfter(TimeSpan delay)
    {
        var response = new HttpResponseMessage(HttpStatusCode.ServiceUnavailable);
        response.Headers.RetryAfter = new RetryConditionHeaderValue(delay);
        return response;
    }

    private static Func<CancellationToken, Task<HttpResponseMessage>> Answers(params HttpStatusCode[] statuses)
    {
        var queue = new Queue<HttpStatusCode>(statuses);
        return _ => Task.FromResult(new HttpResponseMessage(queue.Dequeue()));
    }

    /// <summary>
    /// Runs the pipeline and moves fake time on in small steps until it is done: Polly's
    /// delays and timeouts are timers of the fake TimeProvider, which only fire on Advance.
    /// Nothing waits for the pipeline's own delays; the millisecond between steps only lets
    /// work that a cancellation moved to the thread pool catch up with the clock.
    /// </summary>
    private async Task<HttpResponseMessage> RunAsync(Func<CancellationToken, Task<HttpResponseMessage>> send)
    {
        var pipeline = FetchPipelineFactory.Create(options, time, NullLogger.Instance);
        var context = ResilienceContextPool.Shared.Get(CancellationToken.None);
        context.Properties.Set(FetchDeadline.Key, new FetchDeadline(time, options.Timeout));
        var run = pipeline.ExecuteAsync(
            async context =>
            {
                attemptTimes.Add(time.GetElapsedTime(start));
                return await send(context.CancellationToken).ConfigureAwait(false);
            },
            context).AsTask();

        for (var steps = 0; !run.IsCompleted && steps < 20_000; steps++)
        {
            time.Advance(Step);
            await Task.WhenAny(run, Task.Delay(1));
        }

        Assert.True(run.IsCompleted, "The pipeline did not finish within 1000 s of fake time.");
        return await run;
    }
}
