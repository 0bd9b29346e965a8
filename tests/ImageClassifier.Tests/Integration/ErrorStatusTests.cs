using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using ImageClassifier.Tests.Harness;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace ImageClassifier.Tests.Integration;

/// <summary>
/// DESIGN.md's failure table through the running app: each case answers with its status code
/// and an RFC 9457 problem body, so Knative retries exactly what a retry can fix.
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
        await AssertProblemAsync(HttpStatusCode.BadRequest, new StringContent("{\"url\": ", Encoding.UTF8, "application/json"));

    [Fact]
    public async Task Json_without_a_url_is_400() =>
        await AssertProblemAsync(HttpStatusCode.BadRequest, JsonContent.Create(new { topK = 3 }));

    [Fact]
    public async Task A_relative_url_is_400() =>
        await AssertProblemAsync(HttpStatusCode.BadRequest, JsonContent.Create(new { url = "/cat.png" }));

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

        await AssertProblemAsync(HttpStatusCode.BadRequest, content);
    }

    [Fact]
    public async Task A_structured_event_with_another_specversion_is_400() =>
        await AssertProblemAsync(HttpStatusCode.BadRequest, new StringContent(
            """{"specversion":"0.3","id":"1","source":"urn:test","type":"dev.test.classify","data":{"url":"http://127.0.0.1/x.png"}}""",
            Encoding.UTF8, "application/cloudevents+json"));

    [Fact]
    public async Task An_unknown_content_type_is_415() =>
        await AssertProblemAsync(HttpStatusCode.UnsupportedMediaType, new StringContent("cat.png", Encoding.UTF8, "text/plain"));

    [Fact]
    public async Task An_image_body_over_FETCH_MAX_BYTES_is_413() =>
        await AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge, Replies.ImageContent("chelsea.png"),
            settings: new() { ["FETCH_MAX_BYTES"] = "10000" });

    [Fact]
    public async Task An_image_url_that_answers_404_is_422_after_one_attempt()
    {
        await AssertProblemAsync(HttpStatusCode.UnprocessableEntity, UrlContent("/missing.png"));

        Assert.Equal(1, _upstream.Hits("/missing.png"));
    }

    [Fact]
    public async Task A_page_served_as_an_image_is_422() =>
        await AssertProblemAsync(HttpStatusCode.UnprocessableEntity, UrlContent("/page.jpg"));

    [Fact]
    public async Task A_truncated_image_is_422() =>
        await AssertProblemAsync(HttpStatusCode.UnprocessableEntity, UrlContent("/truncated.jpg"));

    [Fact]
    public async Task An_image_over_MAX_IMAGE_PIXELS_is_422() =>
        await AssertProblemAsync(HttpStatusCode.UnprocessableEntity, UrlContent("/chelsea.png"),
            settings: new() { ["MAX_IMAGE_PIXELS"] = "10000" });

    [Fact]
    public async Task A_download_over_FETCH_MAX_BYTES_is_422() =>
        await AssertProblemAsync(HttpStatusCode.UnprocessableEntity, UrlContent("/chelsea.png"),
            settings: new() { ["FETCH_MAX_BYTES"] = "10000" });

    [Fact]
    public async Task A_loopback_url_is_refused_by_default_and_never_fetched()
    {
        await AssertProblemAsync(HttpStatusCode.UnprocessableEntity, UrlContent("/chelsea.png"),
            settings: new() { ["FETCH_ALLOW_PRIVATE_NETWORKS"] = "false" });

        Assert.Equal(0, _upstream.RequestCount);
    }

    [Theory]
    [InlineData("ftp://127.0.0.1/cat.png")]
    [InlineData("file:///etc/passwd")]
    [InlineData("http://user:secret@127.0.0.1/cat.png")]
    public async Task A_url_with_a_refused_scheme_or_credentials_is_a_4xx(string url)
    {
        var problem = await PostAsync(JsonContent.Create(new { url }), settings: null);

        Assert.InRange((int)problem.Status, 400, 422);
        Assert.DoesNotContain("secret", problem.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_upstream_that_keeps_failing_is_502_after_every_retry()
    {
        await AssertProblemAsync(HttpStatusCode.BadGateway, UrlContent("/broken.png"),
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

        await AssertProblemAsync(HttpStatusCode.BadGateway, JsonContent.Create(new { url = $"http://127.0.0.1:{closedPort}/cat.png" }),
            settings: new() { ["FETCH_RETRY_DELAY_MS"] = "1" });
    }

    [Fact]
    public async Task An_upstream_slower_than_FETCH_TIMEOUT_SECONDS_is_504() =>
        await AssertProblemAsync(HttpStatusCode.GatewayTimeout, UrlContent("/slow.png"),
            settings: new() { ["FETCH_TIMEOUT_SECONDS"] = "1", ["FETCH_ATTEMPT_TIMEOUT_SECONDS"] = "1" });

    private JsonContent UrlContent(string path) => JsonContent.Create(new { url = _upstream.Url(path).ToString() });

    private static async Task AssertProblemAsync(HttpStatusCode expected, HttpContent content, Dictionary<string, string?>? settings = null)
    {
        var problem = await PostAsync(content, settings);

        Assert.True(expected == problem.Status, $"expected {(int)expected}, got {(int)problem.Status}: {problem.Body}");
        Assert.Equal("application/problem+json", problem.ContentType);
        using var json = JsonDocument.Parse(problem.Body);
        Assert.Equal((int)expected, json.RootElement.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(json.RootElement.GetProperty("type").GetString()));
        Assert.False(string.IsNullOrEmpty(json.RootElement.GetProperty("detail").GetString()));
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
