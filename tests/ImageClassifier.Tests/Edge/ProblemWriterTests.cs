using System.Text.Json;
using ImageClassifier.Delivery;
using ImageClassifier.Edge;
using ImageClassifier.Failures;
using ImageClassifier.Tests.Harness;
using Microsoft.AspNetCore.Http;

namespace ImageClassifier.Tests.Edge;

public class ProblemWriterTests
{
    public static TheoryData<string> Slugs => [.. Problems.All.Select(type => type.Slug)];

    [Theory]
    [MemberData(nameof(Slugs))]
    public async Task Every_problem_type_is_answered_with_its_status_title_and_type(string slug)
    {
        var type = Problems.All.Single(entry => entry.Slug == slug);
        var context = HttpContexts.Request(null, []);

        await RequestLifecycle.WriteFailureAsync(context.Response, type.Failure("What went wrong."), ProblemWriter.WriteAsync, CancellationToken.None);

        Assert.Equal(type.Status, context.Response.StatusCode);
        Assert.Equal("application/problem+json", context.Response.ContentType);
        using var problem = JsonDocument.Parse(HttpContexts.ResponseBody(context));
        Assert.Equal("urn:image-classifier:problem:" + slug, problem.RootElement.GetProperty("type").GetString());
        Assert.Equal(type.Status, problem.RootElement.GetProperty("status").GetInt32());
        Assert.Equal(type.Title, problem.RootElement.GetProperty("title").GetString());
        Assert.Equal("What went wrong.", problem.RootElement.GetProperty("detail").GetString());
        Assert.Equal(type.Status == 503 ? "1" : null, context.Response.Headers.RetryAfter.SingleOrDefault());
    }

    [Fact]
    public async Task A_problem_replaces_headers_written_before_it()
    {
        var context = HttpContexts.Request(null, []);
        context.Response.Headers["ce-id"] = "reply-1";

        await RequestLifecycle.WriteFailureAsync(context.Response, Problems.NotAnImage.Failure("No."), ProblemWriter.WriteAsync, CancellationToken.None);

        Assert.False(context.Response.Headers.ContainsKey("ce-id"));
    }

    [Fact]
    public async Task An_internal_error_is_a_500_problem_without_details_of_the_bug()
    {
        var context = HttpContexts.Request(null, []);

        await RequestLifecycle.WriteFailureAsync(context.Response, RequestLifecycle.InternalError(), ProblemWriter.WriteAsync, CancellationToken.None);

        Assert.Equal(StatusCodes.Status500InternalServerError, context.Response.StatusCode);
        using var problem = JsonDocument.Parse(HttpContexts.ResponseBody(context));
        Assert.Equal("urn:image-classifier:problem:internal-error", problem.RootElement.GetProperty("type").GetString());
        Assert.Equal("The function failed unexpectedly; the failure has been logged.", problem.RootElement.GetProperty("detail").GetString());
    }
}
