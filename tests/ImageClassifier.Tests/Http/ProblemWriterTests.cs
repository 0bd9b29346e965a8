using System.Text.Json;
using ImageClassifier.Http;
using Microsoft.AspNetCore.Http;

namespace ImageClassifier.Tests.Http;

public class ProblemWriterTests
{
    [Theory]
    [InlineData(FailureKind.BadRequest, 400)]
    [InlineData(FailureKind.UrlRefused, 422)]
    [InlineData(FailureKind.UnsupportedMediaType, 415)]
    [InlineData(FailureKind.PayloadTooLarge, 413)]
    [InlineData(FailureKind.ImageUnusable, 422)]
    [InlineData(FailureKind.UpstreamFailed, 502)]
    [InlineData(FailureKind.UpstreamTimeout, 504)]
    [InlineData(FailureKind.Unavailable, 503)]
    public async Task Every_failure_kind_is_a_problem_with_its_status(FailureKind kind, int status)
    {
        var context = HttpContexts.Request(null, []);

        await ProblemWriter.WriteAsync(context.Response, new ClassificationException(kind, "some-case", "What went wrong."), CancellationToken.None);

        Assert.Equal(status, context.Response.StatusCode);
        Assert.Equal("application/problem+json", context.Response.ContentType);
        using var problem = JsonDocument.Parse(HttpContexts.ResponseBody(context));
        Assert.Equal("urn:image-classifier:problem:some-case", problem.RootElement.GetProperty("type").GetString());
        Assert.Equal(status, problem.RootElement.GetProperty("status").GetInt32());
        Assert.Equal("What went wrong.", problem.RootElement.GetProperty("detail").GetString());
        Assert.False(string.IsNullOrWhiteSpace(problem.RootElement.GetProperty("title").GetString()));
        Assert.Equal(kind == FailureKind.Unavailable, context.Response.Headers.ContainsKey("Retry-After"));
    }

    [Fact]
    public async Task Unavailable_says_when_to_retry()
    {
        var context = HttpContexts.Request(null, []);
        var failure = new ClassificationException(FailureKind.Unavailable, "overloaded", "Busy.") { RetryAfterSeconds = 7 };

        await ProblemWriter.WriteAsync(context.Response, failure, CancellationToken.None);

        Assert.Equal("7", context.Response.Headers.RetryAfter);
    }

    [Fact]
    public async Task Unavailable_without_a_delay_says_one_second()
    {
        var context = HttpContexts.Request(null, []);

        await ProblemWriter.WriteAsync(context.Response, new ClassificationException(FailureKind.Unavailable, "x", "Busy."), CancellationToken.None);

        Assert.Equal("1", context.Response.Headers.RetryAfter);
    }

    [Fact]
    public async Task A_problem_replaces_headers_written_before_it()
    {
        var context = HttpContexts.Request(null, []);
        context.Response.Headers["ce-id"] = "reply-1";

        await ProblemWriter.WriteAsync(context.Response, new ClassificationException(FailureKind.ImageUnusable, "x", "No."), CancellationToken.None);

        Assert.False(context.Response.Headers.ContainsKey("ce-id"));
    }

    [Fact]
    public async Task An_internal_error_is_a_500_problem_without_details_of_the_bug()
    {
        var context = HttpContexts.Request(null, []);

        await ProblemWriter.WriteInternalErrorAsync(context.Response, CancellationToken.None);

        Assert.Equal(StatusCodes.Status500InternalServerError, context.Response.StatusCode);
        Assert.Equal("application/problem+json", context.Response.ContentType);
        using var problem = JsonDocument.Parse(HttpContexts.ResponseBody(context));
        Assert.Equal("urn:image-classifier:problem:internal-error", problem.RootElement.GetProperty("type").GetString());
        Assert.Equal(500, problem.RootElement.GetProperty("status").GetInt32());
    }
}
