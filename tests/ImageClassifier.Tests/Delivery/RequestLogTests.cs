using System.Text;
using ImageClassifier.Delivery;
using ImageClassifier.Failures;
using ImageClassifier.Tests.Harness;
using Microsoft.Extensions.Logging;

namespace ImageClassifier.Tests.Observability;

/// <summary>One structured log line per request, its fields named so a log query can use them.</summary>
public sealed class RequestLogTests : IAsyncLifetime
{
    private static readonly string Category = typeof(RequestLog).FullName!;

    private readonly FakedFunctionApp factory = new();
    private HttpClient client = null!;

    public async Task InitializeAsync() => client = await factory.CreateReadyClientAsync();

    public async Task DisposeAsync()
    {
        client.Dispose();
        await factory.DisposeAsync();
    }

    [Fact]
    public async Task A_classified_event_logs_one_line_with_its_identity_host_status_timings_and_top_1()
    {
        using var response = await client.PostAsync("/", new StringContent(
            """{"specversion": "1.0", "id": "e-42", "source": "/my/app", "type": "com.example.classify", "data": {"url": "https://images.example.com/cat.jpg?token=secret"}}""",
            Encoding.UTF8, "application/cloudevents+json"));

        var line = Assert.Single(factory.Logs.Of(Category));
        Assert.Equal(LogLevel.Information, line.Level);
        Assert.Equal("structured", line.Values["Form"]);
        Assert.Equal(200, line.Values["Status"]);
        Assert.Equal("e-42", line.Values["EventId"]);
        Assert.Equal("/my/app", line.Values["EventSource"]);
        Assert.Equal("images.example.com", line.Values["UrlHost"]);
        Assert.Equal("Egyptian cat", line.Values["Top1"]);
        Assert.Equal(false, line.Values["Duplicate"]);
        foreach (var timing in new[] { "FetchMs", "PreprocessMs", "InferenceMs", "TotalMs" })
        {
            Assert.IsType<double>(line.Values[timing]);
        }

        Assert.DoesNotContain(line.Values.Values, value => value?.ToString()?.Contains("secret", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task An_upstream_failure_logs_one_warning_line_with_its_problem()
    {
        var cause = new HttpRequestException("connection refused");
        factory.Fetcher.Failure = Problems.UpstreamFailed.Failure("The image host could not be reached.", cause);

        using var response = await client.PostAsync("/", new StringContent("""{"url": "https://example.com/cat.jpg"}""", Encoding.UTF8, "application/json"));

        var line = Assert.Single(factory.Logs.Of(Category));
        Assert.Equal(LogLevel.Warning, line.Level);
        Assert.Equal(502, line.Values["Status"]);
        Assert.Equal("upstream-failed", line.Values["Problem"]);
        Assert.Same(cause, line.Exception);
        Assert.Null(line.Values["Top1"]);
    }

    [Fact]
    public async Task A_request_refused_before_it_is_read_logs_its_status_too()
    {
        using var response = await client.PostAsync("/", new StringContent("cat", Encoding.UTF8, "text/plain"));

        var line = Assert.Single(factory.Logs.Of(Category));
        Assert.Equal("unknown", line.Values["Form"]);
        Assert.Equal(415, line.Values["Status"]);
        Assert.Equal("unsupported-media-type", line.Values["Problem"]);
    }
}
