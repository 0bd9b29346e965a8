using System.Net;
using System.Text;
using ImageClassifier.Tests.Harness;
using ImageClassifier.Tests.Harness.Fakes;

namespace ImageClassifier.Tests.Observability;

/// <summary>GET /metrics: Prometheus text whose counters move as requests are made (fakes behind the edge).</summary>
[Collection(SerialMetricsTests.Name)]
public sealed class MetricsEndpointTests : IAsyncLifetime
{
    private readonly FakedFunctionApp factory = new();
    private HttpClient client = null!;

    public async Task InitializeAsync() => client = await factory.CreateReadyClientAsync();

    public async Task DisposeAsync()
    {
        client.Dispose();
        await factory.DisposeAsync();
    }

    [Fact]
    public async Task Metrics_are_prometheus_text_with_the_model_as_a_labelled_gauge()
    {
        using var response = await client.GetAsync("/metrics");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        var metrics = PrometheusText.Parse(await response.Content.ReadAsStringAsync());
        var model = Assert.Single(metrics.Matching("imageclassifier_model_info", ("name", FakeClassifier.FakeModel.Name)));
        Assert.Equal(FakeClassifier.FakeModel.Sha256, model.Labels["sha256"]);
        Assert.Equal(1, model.Value);
        Assert.Equal("gauge", metrics.Types["imageclassifier_model_info"]);
    }

    [Fact]
    public async Task Requests_are_counted_by_form_and_status_and_timed_by_stage()
    {
        var before = await ScrapeAsync();

        using (await PostJsonAsync("""{"url": "https://example.com/cat.jpg"}""")) { }
        using (await PostJsonAsync("""{"url": "https://example.com/dog.jpg"}""")) { }
        using (await PostJsonAsync("""{"topK": 1}""")) { }
        using (await client.PostAsync("/", new StringContent("cat", Encoding.UTF8, "text/plain"))) { }

        var after = await ScrapeAsync();
        Assert.True(Delta(before, after, "imageclassifier_requests_total", ("form", "json"), ("status", "200")) >= 2);
        Assert.True(Delta(before, after, "imageclassifier_requests_total", ("form", "json"), ("status", "400")) >= 1);
        Assert.True(Delta(before, after, "imageclassifier_requests_total", ("form", "unknown"), ("status", "415")) >= 1);
        foreach (var stage in new[] { "fetch", "preprocess", "inference", "total" })
        {
            Assert.True(Delta(before, after, "imageclassifier_stage_duration_seconds_count", ("stage", stage)) >= 2, stage);
        }

        Assert.Equal("histogram", after.Types["imageclassifier_stage_duration_seconds"]);
        Assert.Equal("gauge", after.Types["imageclassifier_requests_active"]);
    }

    [Fact]
    public async Task Requests_refused_while_the_model_is_not_ready_are_counted_as_shed()
    {
        factory.Classifier.IsReady = false;
        var before = await ScrapeAsync();

        using var refused = await PostJsonAsync("""{"url": "https://example.com/cat.jpg"}""");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        var after = await ScrapeAsync();
        Assert.True(Delta(before, after, "imageclassifier_requests_shed_total", ("reason", "not-ready")) >= 1);
        Assert.True(Delta(before, after, "imageclassifier_requests_total", ("form", "json"), ("status", "503")) >= 1);
    }

    [Fact]
    public async Task A_redelivered_event_is_counted_as_a_duplicate()
    {
        var before = await ScrapeAsync();
        const string Event = """{"specversion": "1.0", "id": "d1", "source": "/metrics-test", "type": "com.example.classify", "data": {"url": "https://example.com/cat.jpg"}}""";

        using (await client.PostAsync("/", new StringContent(Event, Encoding.UTF8, "application/cloudevents+json"))) { }
        using (await client.PostAsync("/", new StringContent(Event, Encoding.UTF8, "application/cloudevents+json"))) { }

        var after = await ScrapeAsync();
        Assert.True(Delta(before, after, "imageclassifier_requests_duplicate_total") >= 1);
    }

    private Task<HttpResponseMessage> PostJsonAsync(string json) =>
        client.PostAsync("/", new StringContent(json, Encoding.UTF8, "application/json"));

    private async Task<PrometheusText> ScrapeAsync() => PrometheusText.Parse(await client.GetStringAsync("/metrics"));

    private static double Delta(PrometheusText before, PrometheusText after, string name, params (string, string)[] labels) =>
        after.Value(name, labels) - before.Value(name, labels);
}
