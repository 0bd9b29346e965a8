using System.Net;
using System.Text;
using ImageClassifier.Delivery;
using ImageClassifier.Failures;
using ImageClassifier.Tests.Harness;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace ImageClassifier.Tests.Delivery;

/// <summary>
/// One structured log line per request, its fields named so a log query can use them; answers
/// that cost next to nothing (refusals, shed requests, duplicates) one line a second per kind.
/// </summary>
public sealed class RequestLogTests : FakedFunctionTest
{
    private static readonly string Category = typeof(RequestLog).FullName!;


    [Fact]
    public async Task A_classified_event_logs_one_line_with_its_identity_host_status_timings_and_top_1()
    {
        using var response = await Client.PostAsync("/", new StringContent(
            """{"specversion": "1.0", "id": "e-42", "source": "/my/app", "type": "com.example.classify", "data": {"url": "https://images.example.com/cat.jpg?token=secret"}}""",
            Encoding.UTF8, "application/cloudevents+json"));

        var line = Assert.Single(Function.Logs.Of(Category));
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
        Function.Fetcher.Failure = Problems.UpstreamFailed.Failure("The image host could not be reached.", cause);

        using var response = await Client.PostAsync("/", new StringContent("""{"url": "https://example.com/cat.jpg"}""", Encoding.UTF8, "application/json"));

        var line = Assert.Single(Function.Logs.Of(Category));
        Assert.Equal(LogLevel.Warning, line.Level);
        Assert.Equal(502, line.Values["Status"]);
        Assert.Equal("upstream-failed", line.Values["Problem"]);
        Assert.Same(cause, line.Exception);
        Assert.Null(line.Values["Top1"]);
    }

    [Fact]
    public async Task A_request_refused_before_it_is_read_logs_its_status_too()
    {
        using var response = await Client.PostAsync("/", new StringContent("cat", Encoding.UTF8, "text/plain"));

        var line = Assert.Single(Function.Logs.Of(Category));
        Assert.Equal("unknown", line.Values["Form"]);
        Assert.Equal(415, line.Values["Status"]);
        Assert.Equal("unsupported-media-type", line.Values["Problem"]);
    }

    [Fact]
    public async Task Classified_requests_are_logged_one_line_each_however_many_come()
    {
        for (var index = 0; index < 3; index++)
        {
            using var response = await PostJsonAsync($$"""{"url": "https://example.com/{{index}}.jpg"}""");
        }

        Assert.Equal([200, 200, 200], Function.Logs.Of(Category).Select(line => line.Values["Status"]));
    }

    [Fact]
    public async Task Refusals_of_one_kind_get_one_line_a_second_which_counts_those_not_logged()
    {
        for (var index = 0; index < 3; index++)
        {
            using var response = await Client.PostAsync("/", new StringContent("cat", Encoding.UTF8, "text/plain"));
        }

        using (await PostJsonAsync("""{"topK": 1}""")) { }
        ((FakeTimeProvider)Function.Services.GetRequiredService<TimeProvider>()).Advance(RequestLog.SampledLineInterval);
        using (await Client.PostAsync("/", new StringContent("cat", Encoding.UTF8, "text/plain"))) { }

        Assert.Equal(
            [(415, "unsupported-media-type", 0L), (400, "invalid-request", 0L), (415, "unsupported-media-type", 2L)],
            Function.Logs.Of(Category).Select(line => ((int)line.Values["Status"]!, (string)line.Values["Problem"]!, (long)line.Values["NotLogged"]!)));
    }

    [Fact]
    public async Task Replies_from_the_duplicate_cache_get_one_line_a_second_after_the_classification()
    {
        const string Event = """{"specversion": "1.0", "id": "d-1", "source": "/log-test", "type": "com.example.classify", "data": {"url": "https://example.com/cat.jpg"}}""";
        for (var index = 0; index < 3; index++)
        {
            using var response = await Client.PostAsync("/", new StringContent(Event, Encoding.UTF8, "application/cloudevents+json"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var lines = Function.Logs.Of(Category).ToList();
        Assert.Equal([false, true], lines.Select(line => (bool)line.Values["Duplicate"]!));
        Assert.False(lines[0].Values.ContainsKey("NotLogged"));
        Assert.Equal(0L, lines[1].Values["NotLogged"]);
        Assert.Equal("d-1", lines[1].Values["EventId"]);
    }

    [Fact]
    public void Each_shed_reason_has_its_own_line_a_second()
    {
        var logs = new CapturedLogs();
        using var factory = LoggerFactory.Create(logging => logging.AddProvider(logs));
        var time = new FakeTimeProvider();
        var log = new RequestLog(factory.CreateLogger<RequestLog>(), time);

        foreach (var reason in new[] { Problems.Overloaded, Problems.NotReady, Problems.Overloaded, Problems.NotReady, Problems.Overloaded })
        {
            log.Write(new RequestSummary("image", reason.Status, reason.Slug), shed: true);
        }

        time.Advance(RequestLog.SampledLineInterval);
        log.Write(new RequestSummary("image", Problems.NotReady.Status, Problems.NotReady.Slug), shed: true);

        Assert.Equal(
            [("overloaded", 0L), ("not-ready", 0L), ("not-ready", 1L)],
            logs.Of(Category).Select(line => ((string)line.Values["Problem"]!, (long)line.Values["NotLogged"]!)));
    }

    private Task<HttpResponseMessage> PostJsonAsync(string json) =>
        Client.PostAsync("/", new StringContent(json, Encoding.UTF8, "application/json"));
}
