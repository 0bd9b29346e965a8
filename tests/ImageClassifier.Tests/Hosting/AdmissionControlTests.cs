using System.Globalization;
using System.Net;
using System.Net.Mime;
using System.Text;
using System.Text.Json;
using ImageClassifier.Delivery;
using ImageClassifier.Failures;
using ImageClassifier.Fetching;
using ImageClassifier.Tests.Harness;
using ImageClassifier.Tests.Harness.Fakes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace ImageClassifier.Tests.Hosting;

/// <summary>
/// Admission at the door of every entry point, with one slot, driven by a fetcher that holds
/// requests until released: no timing, only the order of events.
/// </summary>
public sealed class AdmissionControlTests : IAsyncDisposable
{
    private static readonly string RequestLogCategory = typeof(RequestLog).FullName!;

    private readonly AdmissionGatedFetcher fetcher = new();

    private FakedFunctionApp app = null!;

    private HttpClient client = null!;

    private CounterRecorder counters = null!;

    public async ValueTask DisposeAsync()
    {
        fetcher.Release();
        counters.Dispose();
        client.Dispose();
        await app.DisposeAsync();
    }

    [Fact]
    public async Task Beyond_the_slots_and_the_queue_a_request_is_refused_at_once_with_503_and_Retry_After()
    {
        await StartAsync(queueLimit: 0);
        var first = client.PostAsync("/", UrlBody("https://example.com/1.jpg"));
        await EnteredAsync("https://example.com/1.jpg");

        using var refused = await client.PostAsync("/", UrlBody("https://example.com/2.jpg"));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(1), refused.Headers.RetryAfter?.Delta);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await refused.Content.ReadAsStringAsync());
        Assert.Equal(Problems.Overloaded.Type, problem.RootElement.GetProperty("type").GetString());
        Assert.Equal(503, problem.RootElement.GetProperty("status").GetInt32());
        Assert.Equal(1, counters.Total("imageclassifier.requests.shed", Problems.Overloaded.Slug));

        await ReleaseAsync(first);
    }

    [Fact]
    public async Task The_inference_protocol_is_shed_like_POST_when_every_slot_is_taken_and_counted_and_logged()
    {
        await StartAsync(queueLimit: 0);
        var first = client.PostAsync("/", UrlBody("https://example.com/1.jpg"));
        await EnteredAsync("https://example.com/1.jpg");

        using var refused = await client.PostAsync($"/v2/models/{FakeClassifier.FakeModel.Name}/infer", InferBody());

        await AssertShedAsync(refused, Problems.Overloaded, "as many requests as it can");

        await ReleaseAsync(first);
    }

    [Fact]
    public async Task After_SIGTERM_the_inference_protocol_is_shed_with_503_and_Retry_After()
    {
        // The drain waits on the host's fake clock, so it lasts until the test moves the clock on.
        await StartAsync(queueLimit: 0, drainSeconds: 5);
        app.Services.GetRequiredService<IHostApplicationLifetime>().StopApplication();

        using var refused = await client.PostAsync($"/v2/models/{FakeClassifier.FakeModel.Name}/infer", InferBody());

        await AssertShedAsync(refused, Problems.ShuttingDown, "shutting down");

        ((FakeTimeProvider)app.Services.GetRequiredService<TimeProvider>()).Advance(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task A_flood_of_shed_requests_is_logged_once_a_second_with_the_count_of_the_rest_and_every_one_is_counted()
    {
        await StartAsync(queueLimit: 0);
        var first = client.PostAsync("/", UrlBody("https://example.com/1.jpg"));
        await EnteredAsync("https://example.com/1.jpg");

        for (var index = 2; index <= 4; index++)
        {
            using var refused = await client.PostAsync("/", UrlBody($"https://example.com/{index}.jpg"));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        }

        var line = Assert.Single(app.Logs.Of(RequestLogCategory));
        Assert.Equal(LogLevel.Warning, line.Level);
        Assert.Equal(503, line.Values["Status"]);
        Assert.Equal(Problems.Overloaded.Slug, line.Values["Problem"]);
        Assert.Equal(0L, line.Values["NotLogged"]);

        ((FakeTimeProvider)app.Services.GetRequiredService<TimeProvider>()).Advance(RequestLog.SampledLineInterval);
        using (var afterASecond = await client.PostAsync("/", UrlBody("https://example.com/5.jpg")))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, afterASecond.StatusCode);
        }

        Assert.Equal([0L, 2L], app.Logs.Of(RequestLogCategory).Select(entry => entry.Values["NotLogged"]));
        Assert.Equal(4, counters.Total("imageclassifier.requests.shed", Problems.Overloaded.Slug));
        Assert.Equal(4, counters.Total("imageclassifier.requests", ("form", "json"), ("status", 503)));
        await ReleaseAsync(first);
    }

    [Fact]
    public async Task Health_endpoints_answer_while_every_slot_is_taken()
    {
        await StartAsync(queueLimit: 0);
        var first = client.PostAsync("/", UrlBody("https://example.com/1.jpg"));
        await EnteredAsync("https://example.com/1.jpg");

        using var live = await client.GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        await ReleaseAsync(first);
    }

    [Fact]
    public async Task A_cancelled_request_gives_its_slot_to_the_queued_one()
    {
        await StartAsync(queueLimit: 1);
        using var cancel = new CancellationTokenSource();
        var first = client.PostAsync("/", UrlBody("https://example.com/1.jpg"), cancel.Token);
        await EnteredAsync("https://example.com/1.jpg");
        var queued = client.PostAsync("/", UrlBody("https://example.com/2.jpg"));

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);
        await EnteredAsync("https://example.com/2.jpg");
        await ReleaseAsync(queued);
    }

    /// <summary>The function with fakes, one request slot, <paramref name="queueLimit"/> queue places, and a fetcher that holds requests.</summary>
    private async Task StartAsync(int queueLimit, int drainSeconds = 0)
    {
        app = new FakedFunctionApp(
            new Dictionary<string, string?>
            {
                ["MAX_CONCURRENT_REQUESTS"] = "1",
                ["REQUEST_QUEUE_LIMIT"] = queueLimit.ToString(CultureInfo.InvariantCulture),
                ["SHUTDOWN_DRAIN_SECONDS"] = drainSeconds.ToString(CultureInfo.InvariantCulture),
            },
            services => services.RemoveAll<IImageFetcher>().AddSingleton<IImageFetcher>(fetcher));
        client = await app.CreateReadyClientAsync();
        counters = new CounterRecorder(app.Services);
    }

    /// <summary>A v2 infer shed at the door: 503, Retry-After, the protocol's error body, and counted and logged as an inference request.</summary>
    private async Task AssertShedAsync(HttpResponseMessage refused, ProblemType type, string detail)
    {
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(1), refused.Headers.RetryAfter?.Delta);
        using var error = JsonDocument.Parse(await refused.Content.ReadAsStringAsync());
        Assert.Contains(detail, error.RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, counters.Total("imageclassifier.requests.shed", type.Slug));
        Assert.Equal(1, counters.Total("imageclassifier.requests", ("form", "inference"), ("status", 503)));
        var line = Assert.Single(app.Logs.Of(RequestLogCategory), entry => Equals(entry.Values["Form"], "inference"));
        Assert.Equal(503, line.Values["Status"]);
        Assert.Equal(type.Slug, line.Values["Problem"]);
    }

    /// <summary>Lets the held fetches go on, and checks that <paramref name="held"/> then ends in a reply.</summary>
    private async Task ReleaseAsync(Task<HttpResponseMessage> held)
    {
        fetcher.Release();
        using var response = await held;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static StringContent UrlBody(string url) =>
        new($$"""{"url": "{{url}}"}""", Encoding.UTF8, MediaTypeNames.Application.Json);

    private static StringContent InferBody() =>
        new("""{"inputs": [{"name": "image_bytes", "shape": [1], "datatype": "BYTES", "data": ["AQID"]}]}""", Encoding.UTF8, MediaTypeNames.Application.Json);

    private async Task EnteredAsync(string url)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        Assert.Equal(new Uri(url), await fetcher.Entered.Reader.ReadAsync(timeout.Token));
    }
}
