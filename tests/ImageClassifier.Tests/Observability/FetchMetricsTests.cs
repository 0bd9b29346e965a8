using System.Net.Http.Json;
using ImageClassifier.Tests.Harness;
using Microsoft.AspNetCore.Http;

namespace ImageClassifier.Tests.Observability;

/// <summary>The fetch's attempts, retries, bytes and refusals on /metrics, against a loopback image host.</summary>
[Collection(SerialMetricsTests.Name)]
public sealed class FetchMetricsTests : IAsyncLifetime
{
    private readonly FunctionApp app = new(new Dictionary<string, string?> { ["FETCH_RETRY_DELAY_MS"] = "1" });
    private readonly byte[] coffee = TestImages.Read("coffee.png");
    private LoopbackServer images = null!;
    private HttpClient client = null!;
    private int flakyCalls;

    public async Task InitializeAsync()
    {
        images = await LoopbackServer.StartAsync(context =>
        {
            // The first request fails with a 503 that a retry gets past.
            if (Interlocked.Increment(ref flakyCalls) == 1)
            {
                context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                return Task.CompletedTask;
            }

            context.Response.ContentType = "image/png";
            return context.Response.Body.WriteAsync(coffee).AsTask();
        });
        client = await app.CreateReadyClientAsync();
    }

    public async Task DisposeAsync()
    {
        await app.DisposeAsync();
        await images.DisposeAsync();
    }

    [Fact]
    public async Task Attempts_retries_and_bytes_downloaded_are_counted()
    {
        var before = await ScrapeAsync();

        using var response = await client.PostAsync("/", JsonContent.Create(new { url = images.Url("/coffee.png").ToString() }));

        await Replies.ReadEventAsync(response);
        var after = await ScrapeAsync();
        Assert.True(Delta(before, after, "imageclassifier_fetch_attempts_total") >= 2);
        Assert.True(Delta(before, after, "imageclassifier_fetch_retries_total") >= 1);
        Assert.True(Delta(before, after, "imageclassifier_fetch_downloaded_bytes_total") >= coffee.Length);
    }

    [Theory]
    [InlineData("ftp://127.0.0.1/cat.jpg", "scheme")]
    [InlineData("http://user:secret@127.0.0.1/cat.jpg", "credentials")]
    public async Task Refused_urls_are_counted_by_reason(string url, string reason)
    {
        var before = await ScrapeAsync();

        using var response = await client.PostAsync("/", JsonContent.Create(new { url }));

        Assert.Equal(422, (int)response.StatusCode);
        var after = await ScrapeAsync();
        Assert.True(Delta(before, after, "imageclassifier_fetch_refused_total", ("reason", reason)) >= 1);
    }

    [Fact]
    public async Task A_host_resolving_to_a_private_address_is_counted_as_refused_for_its_address()
    {
        await using var guarded = new FunctionApp(new Dictionary<string, string?> { ["FETCH_ALLOW_PRIVATE_NETWORKS"] = "false" });
        using var guardedClient = await guarded.CreateReadyClientAsync();
        var before = PrometheusText.Parse(await guardedClient.GetStringAsync(new Uri("/metrics", UriKind.Relative)));

        using var response = await guardedClient.PostAsync("/", JsonContent.Create(new { url = images.Url("/coffee.png").ToString() }));

        Assert.Equal(422, (int)response.StatusCode);
        var after = PrometheusText.Parse(await guardedClient.GetStringAsync(new Uri("/metrics", UriKind.Relative)));
        Assert.True(Delta(before, after, "imageclassifier_fetch_refused_total", ("reason", "address")) >= 1);
        Assert.Equal(0, images.RequestCount);
    }

    [Fact]
    public async Task Metrics_name_no_host_that_a_caller_asked_the_function_to_fetch()
    {
        using var response = await client.PostAsync("/", JsonContent.Create(new { url = images.Url("/coffee.png").ToString() }));
        await Replies.ReadEventAsync(response);

        var text = await client.GetStringAsync(new Uri("/metrics", UriKind.Relative));

        // HttpClient's and DNS's own series are there, by method and status, but without their peer.
        // (Kestrel's series name the address a server listens on, the image host's too in this process.)
        Assert.True(PrometheusText.Parse(text).Value("http_client_request_duration_seconds_count", ("http_request_method", "GET")) >= 1);
        var outbound = text.Split('\n').Where(line => line.StartsWith("http_client_", StringComparison.Ordinal) || line.StartsWith("dns_", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(outbound);
        Assert.All(outbound, line =>
        {
            Assert.DoesNotContain("server_address", line, StringComparison.Ordinal);
            Assert.DoesNotContain("server_port", line, StringComparison.Ordinal);
            Assert.DoesNotContain("dns_question_name", line, StringComparison.Ordinal);
            Assert.DoesNotContain(images.Url("/").Host, line, StringComparison.Ordinal);
        });
    }

    private async Task<PrometheusText> ScrapeAsync() => PrometheusText.Parse(await client.GetStringAsync(new Uri("/metrics", UriKind.Relative)));

    private static double Delta(PrometheusText before, PrometheusText after, string name, params (string, string)[] labels) =>
        after.Value(name, labels) - before.Value(name, labels);
}
