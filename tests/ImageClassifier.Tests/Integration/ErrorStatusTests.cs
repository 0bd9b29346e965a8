using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using ImageClassifier.Failures;
using ImageClassifier.Tests.Harness;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace ImageClassifier.Tests.Integration;

/// <summary>
/// The README's status table through the running app: each case answers with exactly its
/// catalogue entry (status, type, title) in an RFC 9457 problem body, so Knative retries exactly
/// what a retry can fix.
/// </summary>
public sealed class ErrorStatusTests : IAsyncLifetime
{
    private LoopbackServer _upstream = null!;

    public async Task InitializeAsync() => _upstream = await LoopbackServer.StartAsync(routes =>
    {
        var chelsea = TestImages.Read("chelsea.png");
        routes.MapGet("/chelsea.png", () => Results.Bytes(chelsea, "image/png"));
        routes.MapGet("/missing.png", () => Results.NotFound());
        routes.MapGet("/page.jpg", () => Results.Text("<html><body>not an image</body></html>", "image/jpeg"));
        routes.MapGet("/truncated.jpg", () => Results.Bytes(TestImages.Read("truncated.jpg"), "image/jpeg"));
        routes.MapGet("/broken.png", () => Results.StatusCode(500));
        routes.MapGet("/slow.png", async (CancellationToken aborted) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(30), aborted);
            return Results.Bytes(chelsea, "image/png");
        });
    });

    public async Task DisposeAsync() => await _upstream.DisposeAsync();

    [Fact]
    public async Task Bad_json_is_400() =>
        await AssertProblemAsync(Problems.InvalidRequest, new StringContent("{\"url\": ", Encoding.UTF8, "application/json"));

    [Fact]
    public async Task Json_without_a_url_is_400() =>
        await AssertProblemAsync(Problems.InvalidRequest, JsonContent.Create(new { topK = 3 }));

    [Fact]
    public async Task A_relative_url_is_400() =>
        await AssertProblemAsync(Problems.InvalidUrl, JsonContent.Create(new { url = "/cat.png" }));

    [Theory]
    [InlineData("ce-id")]
    [InlineData("ce-source")]
    [InlineData("ce-type")]
    public async Task A_binary_event_missing_a_required_attribute_is_400(string missing)
    {
        var content = JsonContent.Create(new { url = _upstream.Url("/chelsea.png").ToString() });
        foreach (var (name, value) in new[] { ("ce-specversion", "1.0"), ("ce-id", "1"), ("ce-source", "urn:test"), ("ce-type", "dev.test.classify") })
        {
            if (name != missing)
            {
                content.Headers.Add(name, value);
            }
        }

        await AssertProblemAsync(Problems.InvalidCloudEvent, content);
    }

    [Fact]
    public async Task A_structured_event_with_another_specversion_is_400() =>
        await AssertProblemAsync(Problems.InvalidCloudEvent, new StringContent(
            """{"specversion":"0.3","id":"1","source":"urn:test","type":"dev.test.classify","data":{"url":"http://127.0.0.1/x.png"}}""",
            Encoding.UTF8, "application/cloudevents+json"));

    [Fact]
    public async Task An_unknown_content_type_is_415() =>
        await AssertProblemAsync(Problems.UnsupportedMediaType, new StringContent("cat.png", Encoding.UTF8, "text/plain"));

    [Fact]
    public async Task An_image_body_over_FETCH_MAX_BYTES_is_413() =>
        await AssertProblemAsync(Problems.PayloadTooLarge, Replies.ImageContent("chelsea.png"),
            settings: new() { ["FETCH_MAX_BYTES"] = "10000" });

    [Fact]
    public async Task An_image_url_that_answers_404_is_422_after_one_attempt()
    {
        await AssertProblemAsync(Problems.ImageNotFound, UrlContent("/missing.png"));

        Assert.Equal(1, _upstream.Hits("/missing.png"));
    }

    [Fact]
    public async Task A_page_served_as_an_image_is_422() =>
        await AssertProblemAsync(Problems.NotAnImage, UrlContent("/page.jpg"));

    [Fact]
    public async Task A_truncated_image_is_422() =>
        await AssertProblemAsync(Problems.ImageCorrupt, UrlContent("/truncated.jpg"));

    [Fact]
    public async Task An_image_over_MAX_IMAGE_PIXELS_is_422() =>
        await AssertProblemAsync(Problems.ImageTooManyPixels, UrlContent("/chelsea.png"),
            settings: new() { ["MAX_IMAGE_PIXELS"] = "10000" });

    [Fact]
    public async Task A_download_over_FETCH_MAX_BYTES_is_422() =>
        await AssertProblemAsync(Problems.ImageTooLarge, UrlContent("/chelsea.png"),
            settings: new() { ["FETCH_MAX_BYTES"] = "10000" });

    [Fact]
    public async Task A_loopback_url_is_refused_by_default_and_never_fetched()
    {
        await AssertProblemAsync(Problems.UrlRefused, UrlContent("/chelsea.png"),
            settings: new() { ["FETCH_ALLOW_PRIVATE_NETWORKS"] = "false" });

        Assert.Equal(0, _upstream.RequestCount);
    }

    [Theory]
    [InlineData("ftp://127.0.0.1/cat.png")]
    [InlineData("file:///etc/passwd")]
    [InlineData("http://user:secret@127.0.0.1/cat.png")]
    public async Task A_url_with_a_refused_scheme_or_credentials_is_422_url_refused(string url)
    {
        var body = await AssertProblemAsync(Problems.UrlRefused, JsonContent.Create(new { url }));

        Assert.DoesNotContain("secret", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_upstream_that_keeps_failing_is_502_after_every_retry()
    {
        await AssertProblemAsync(Problems.UpstreamFailed, UrlContent("/broken.png"),
            settings: new() { ["FETCH_MAX_RETRIES"] = "2", ["FETCH_RETRY_DELAY_MS"] = "1" });

        Assert.Equal(3, _upstream.Hits("/broken.png"));
    }

    [Fact]
    public async Task A_refused_connection_is_502()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var closedPort = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        await AssertProblemAsync(Problems.UpstreamFailed, JsonContent.Create(new { url = $"http://127.0.0.1:{closedPort}/cat.png" }),
            settings: new() { ["FETCH_RETRY_DELAY_MS"] = "1" });
    }

    [Fact]
    public async Task An_upstream_slower_than_FETCH_TIMEOUT_SECONDS_is_504() =>
        await AssertProblemAsync(Problems.UpstreamTimeout, UrlContent("/slow.png"),
            settings: new() { ["FETCH_TIMEOUT_SECONDS"] = "1", ["FETCH_ATTEMPT_TIMEOUT_SECONDS"] = "1" });

    private JsonContent UrlContent(string path) => JsonContent.Create(new { url = _upstream.Url(path).ToString() });

    /// <summary>Posts, and checks the answer is exactly the catalogue's problem: status, type, title, and a detail for the caller.</summary>
    private static async Task<string> AssertProblemAsync(ProblemType expected, HttpContent content, Dictionary<string, string?>? settings = null)
    {
        var problem = await PostAsync(content, settings);

        Assert.True(expected.Status == (int)problem.Status, $"expected {expected.Status} {expected.Slug}, got {(int)problem.Status}: {problem.Body}");
        Assert.Equal("application/problem+json", problem.ContentType);
        using var json = JsonDocument.Parse(problem.Body);
        Assert.Equal(expected.Type, json.RootElement.GetProperty("type").GetString());
        Assert.Equal(expected.Status, json.RootElement.GetProperty("status").GetInt32());
        Assert.Equal(expected.Title, json.RootElement.GetProperty("title").GetString());
        Assert.False(string.IsNullOrEmpty(json.RootElement.GetProperty("detail").GetString()));
        return problem.Body;
    }

    private static async Task<(HttpStatusCode Status, string? ContentType, string Body)> PostAsync(HttpContent content, Dictionary<string, string?>? settings)
    {
        await using var app = new FunctionApp(settings);
        using var client = await app.CreateReadyClientAsync();
        using (content)
        {
            using var response = await client.PostAsync(new Uri("/", UriKind.Relative), content);
            return (response.StatusCode, response.Content.Headers.ContentType?.MediaType, await response.Content.ReadAsStringAsync());
        }
    }
}
