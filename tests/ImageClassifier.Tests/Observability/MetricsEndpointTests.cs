using System.Net;
using System.Text;
using ImageClassifier.Tests.Harness;
using ImageClassifier.Tests.Harness.Fakes;

namespace ImageClassifier.Tests.Observability;

/// <summary>GET /metrics: Prometheus text whose counters move as requests are made (fakes behind the edge).</summary>
[Collection(SerialMetricsTests.Name)]
public sealed class MetricsEndpointTests : FakedFunctionTest
{

    [Fact]
    public async Task Metrics_are_prometheus_text_with_the_model_as_a_labelled_gauge()
    {
        using var response = await Client.GetAsync("/metrics");

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
        using (await Client.PostAsync("/", new StringContent("cat", Encoding.UTF8, "text/plain"))) { }

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
    public async Task The_runtimes_own_collections_allocations_pauses_and_working_set_are_published()
    {
        var before = await ScrapeAsync();
        GC.Collect();

        var after = await ScrapeAsync();
        Assert.True(Delta(before, after, "dotnet_gc_collections_total", ("gc_heap_generation", "gen2")) >= 1);
        Assert.True(after.Value("dotnet_gc_heap_total_allocated_bytes_total") > 0);
        Assert.Equal("counter", after.Types["dotnet_gc_pause_time_seconds_total"]);
        Assert.True(after.Value("dotnet_process_memory_working_set_bytes") > 0);
    }

    [Fact]
    public async Task The_model_load_is_counted_by_outcome()
    {
        var metrics = await ScrapeAsync();

        Assert.True(metrics.Value("imageclassifier_model_refresh_total", ("outcome", "loaded")) >= 1);
        Assert.Equal("counter", metrics.Types["imageclassifier_model_refresh_total"]);
    }

    [Fact]
    public async Task Requests_refused_while_the_model_is_not_ready_are_counted_as_shed()
    {
        Function.Classifier.IsReady = false;
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

        using (await Client.PostAsync("/", new StringContent(Event, Encoding.UTF8, "application/cloudevents+json"))) { }
        using (await Client.PostAsync("/", new StringContent(Event, Encoding.UTF8, "application/cloudevents+json"))) { }

        var after = await ScrapeAsync();
        Assert.True(Delta(before, after, "imageclassifier_requests_duplicate_total") >= 1);
    }

    private Task<HttpResponseMessage> PostJsonAsync(string json) =>
        Client.PostAsync("/", new StringContent(json, Encoding.UTF8, "application/json"));

    private async Task<PrometheusText> ScrapeAsync() => PrometheusText.Parse(await Client.GetStringAsync("/metrics"));

    private static double Delta(PrometheusText before, PrometheusText after, string name, params (string, string)[] labels) =>
        after.Value(name, labels) - before.Value(name, labels);
}
