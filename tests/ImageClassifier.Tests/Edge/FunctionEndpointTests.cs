using System.Text;
using ImageClassifier.Delivery;
using ImageClassifier.Edge;
using ImageClassifier.Failures;
using ImageClassifier.Tests.Harness;
using ImageClassifier.Tests.Harness.Fakes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ImageClassifier.Tests.Edge;

/// <summary>What the endpoint logs and answers when things go wrong that the caller did not cause.</summary>
public sealed class FunctionEndpointTests : IDisposable
{
    private readonly FakedFunctionApp factory = new();
    private readonly FakeImageFetcher fetcher;
    private readonly FunctionEndpoint endpoint;

    public FunctionEndpointTests()
    {
        fetcher = factory.Fetcher;
        endpoint = factory.Services.GetRequiredService<FunctionEndpoint>();
    }

    private IEnumerable<CapturedLogs.LogEntry> Entries => factory.Logs.Entries;

    public void Dispose() => factory.Dispose();

    [Fact]
    public async Task A_bug_is_logged_as_an_error_and_answered_with_a_500_problem()
    {
        var bug = new InvalidOperationException("bug");
        fetcher.Failure = bug;
        var context = UrlRequest();

        await endpoint.HandleAsync(context);

        Assert.Equal(StatusCodes.Status500InternalServerError, context.Response.StatusCode);
        Assert.Contains("internal-error", HttpContexts.ResponseText(context), StringComparison.Ordinal);
        Assert.Contains(Entries, entry => entry.Level == LogLevel.Error && entry.Exception == bug);
    }

    [Fact]
    public async Task A_request_the_caller_abandoned_is_dropped_without_an_answer_or_an_error()
    {
        using var aborted = new CancellationTokenSource();
        await aborted.CancelAsync();
        fetcher.Failure = new OperationCanceledException(aborted.Token);
        var context = UrlRequest();
        context.RequestAborted = aborted.Token;

        await endpoint.HandleAsync(context);

        Assert.Empty(HttpContexts.ResponseBody(context));
        Assert.DoesNotContain(Entries, entry => entry.Level >= LogLevel.Warning);
    }

    [Fact]
    public async Task A_cancellation_the_caller_did_not_cause_is_a_500_problem()
    {
        fetcher.Failure = new OperationCanceledException();
        var context = UrlRequest();

        await endpoint.HandleAsync(context);

        Assert.Equal(StatusCodes.Status500InternalServerError, context.Response.StatusCode);
        Assert.Contains(Entries, entry => entry.Level == LogLevel.Error);
    }

    [Fact]
    public async Task A_failure_the_caller_caused_is_not_logged_as_an_error()
    {
        fetcher.Failure = Problems.ImageNotFound.Failure("The image URL answered 404.");
        var context = UrlRequest();

        await endpoint.HandleAsync(context);

        Assert.Equal(StatusCodes.Status422UnprocessableEntity, context.Response.StatusCode);
        Assert.DoesNotContain(Entries, entry => entry.Level >= LogLevel.Warning);
    }

    private static DefaultHttpContext UrlRequest() =>
        HttpContexts.Request("application/json", Encoding.UTF8.GetBytes("""{"url": "https://example.com/cat.jpg"}"""));
}
