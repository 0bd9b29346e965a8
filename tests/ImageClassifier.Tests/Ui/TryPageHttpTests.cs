using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using ImageClassifier.Tests.Harness;
using ImageClassifier.Ui;
using Microsoft.Extensions.DependencyInjection;

namespace ImageClassifier.Tests.Ui;

/// <summary>
/// The try page's HTTP contract, without a browser: who gets the page, its headers and ETags,
/// and that every other request gets exactly the answer it got before the page existed
/// (the same app with UI_ENABLED=false, which adds no page code to the pipeline at all).
/// </summary>
public sealed class TryPageHttpTests : IAsyncLifetime
{
    /// <summary>What Chromium sends when a person opens the URL.</summary>
    public const string BrowserAccept =
        "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7";

    private readonly FakedFunctionApp _factory = new();
    private readonly FakedFunctionApp _disabled = new(new Dictionary<string, string?> { ["UI_ENABLED"] = "false" });
    private HttpClient _client = null!;
    private HttpClient _disabledClient = null!;

    public async Task InitializeAsync()
    {
        _client = await _factory.CreateReadyClientAsync();
        _disabledClient = await _disabled.CreateReadyClientAsync();
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        _disabledClient.Dispose();
        await _disabled.DisposeAsync();
        await _factory.DisposeAsync();
    }

    [Fact]
    public async Task A_browser_gets_the_page_with_a_strict_policy_nosniff_and_an_etag()
    {
        using var response = await _client.SendAsync(Get("/", BrowserAccept));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var policy = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
        var directives = policy.Split(';', StringSplitOptions.TrimEntries).ToDictionary(d => d.Split(' ')[0], d => d);
        Assert.Equal("default-src 'self'", directives["default-src"]);
        Assert.Equal("img-src 'self' blob: data:", directives["img-src"]);
        Assert.DoesNotContain("unsafe-inline", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-eval", policy, StringComparison.Ordinal);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.False(response.Headers.ETag!.IsWeak);
        Assert.Contains("Accept", response.Headers.Vary);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("<script src=\"ui/app.js\" defer></script>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<style", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(" style=", html, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("*/*")]
    [InlineData("application/json")]
    [InlineData("application/problem+json")]
    [InlineData("text/*")]
    [InlineData("text/plain")]
    [InlineData("application/json, text/html;q=0.5")]
    public async Task Any_other_GET_of_root_gets_the_405_it_got_before_the_page(string? accept)
    {
        using var withPage = await _client.SendAsync(Get("/", accept));
        using var without = await _disabledClient.SendAsync(Get("/", accept));

        foreach (var response in new[] { withPage, without })
        {
            Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
            Assert.Equal("POST", Assert.Single(response.Content.Headers.Allow));
            Assert.False(response.Headers.Contains("Content-Security-Policy"));
        }

        // Status code pages answer in the type the Accept header allows: a problem, or plain text.
        var mediaType = withPage.Content.Headers.ContentType?.MediaType;
        Assert.Equal(without.Content.Headers.ContentType?.MediaType, mediaType);
        Assert.Contains(mediaType, new[] { "application/problem+json", "text/plain" });
        Assert.Equal(await NormalisedBodyAsync(without), await NormalisedBodyAsync(withPage));
    }

    [Theory]
    [InlineData(BrowserAccept, "application/problem+json")]
    [InlineData("text/html", "text/plain")]
    public async Task With_UI_ENABLED_false_a_browser_gets_the_405_it_got_before_the_page(string accept, string mediaType)
    {
        using var response = await _disabledClient.SendAsync(Get("/", accept));

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("POST", Assert.Single(response.Content.Headers.Allow));
        Assert.Contains("Method Not Allowed", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.False(response.Headers.Contains("Content-Security-Policy"));
    }

    [Theory]
    [InlineData("/ui/app.js", "text/javascript")]
    [InlineData("/ui/app.css", "text/css")]
    [InlineData("/ui/icon.svg", "image/svg+xml")]
    public async Task Each_file_is_served_with_the_security_headers_and_a_strong_etag(string path, string mediaType)
    {
        using var response = await _client.SendAsync(Get(path, "*/*"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.True(response.Headers.Contains("Content-Security-Policy"));
        Assert.False(response.Headers.ETag!.IsWeak);
        Assert.NotEmpty(await response.Content.ReadAsByteArrayAsync());

        // With UI_ENABLED=false the path is as unknown as any other.
        using var disabled = await _disabledClient.SendAsync(Get(path, "*/*"));
        Assert.Equal(HttpStatusCode.NotFound, disabled.StatusCode);
    }

    [Fact]
    public async Task The_files_have_distinct_tags_that_do_not_change_between_requests()
    {
        var tags = new List<string>();
        foreach (var path in new[] { "/", "/ui/app.js", "/ui/app.css", "/ui/icon.svg" })
        {
            using var first = await _client.SendAsync(Get(path, BrowserAccept));
            using var second = await _client.SendAsync(Get(path, BrowserAccept));
            Assert.Equal(first.Headers.ETag, second.Headers.ETag);
            tags.Add(first.Headers.ETag!.Tag);
        }

        Assert.Equal(tags.Count, tags.Distinct(StringComparer.Ordinal).Count());
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/ui/app.js")]
    public async Task A_matching_If_None_Match_gets_304_without_a_body_and_another_gets_the_file(string path)
    {
        using var first = await _client.SendAsync(Get(path, BrowserAccept));
        var etag = first.Headers.ETag!;

        using var same = Get(path, BrowserAccept);
        same.Headers.IfNoneMatch.Add(new EntityTagHeaderValue("\"something-else\""));
        same.Headers.IfNoneMatch.Add(etag);
        using var notModified = await _client.SendAsync(same);
        using var other = Get(path, BrowserAccept);
        other.Headers.IfNoneMatch.Add(new EntityTagHeaderValue("\"something-else\""));
        using var modified = await _client.SendAsync(other);

        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.Equal(etag, notModified.Headers.ETag);
        Assert.Empty(await notModified.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.OK, modified.StatusCode);
        Assert.Equal(await first.Content.ReadAsByteArrayAsync(), await modified.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task An_unknown_path_under_ui_is_the_usual_404()
    {
        using var response = await _client.SendAsync(Get("/ui/secrets.json", BrowserAccept));
        using var resource = await _client.SendAsync(Get("/ui/../ImageClassifier.Ui.app.js", "*/*"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, resource.StatusCode);
        Assert.False(response.Headers.Contains("Content-Security-Policy"));
    }

    [Fact]
    public async Task Start_up_and_POST_requests_never_reach_the_page_code_and_the_first_page_request_does()
    {
        var assets = _factory.Services.GetRequiredService<TryPageAssets>();

        // POSTs that the page would answer if it saw them (were its method check gone): each
        // would read a file. They get the function's own answers, the same as without the page.
        using var classified = await _client.SendAsync(Post("/"));
        using var script = await _client.SendAsync(Post("/ui/app.js"));
        using var scriptWithoutPage = await _disabledClient.SendAsync(Post("/ui/app.js"));

        Assert.Equal(HttpStatusCode.OK, classified.StatusCode);
        Assert.Equal("application/json", classified.Content.Headers.ContentType?.MediaType);
        Assert.False(classified.Headers.Contains("Content-Security-Policy"));
        Assert.Equal(HttpStatusCode.NotFound, script.StatusCode);
        Assert.Equal(await NormalisedBodyAsync(scriptWithoutPage), await NormalisedBodyAsync(script));
        Assert.False(assets.AnyLoaded);

        using var page = await _client.SendAsync(Get("/", BrowserAccept));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.True(assets.AnyLoaded);
    }

    [Fact]
    public async Task A_bad_UI_ENABLED_stops_the_start_with_its_name()
    {
        await using var bad = new FakedFunctionApp(new Dictionary<string, string?> { ["UI_ENABLED"] = "maybe" });

        var failure = Assert.ThrowsAny<Exception>(() => bad.CreateClient());

        Assert.Contains("UI_ENABLED", failure.ToString(), StringComparison.Ordinal);
    }

    private static HttpRequestMessage Get(string path, string? accept)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }

        return request;
    }

    /// <summary>A classification request, from a browser.</summary>
    private static HttpRequestMessage Post(string path)
    {
        var request = Get(path, BrowserAccept);
        request.Method = HttpMethod.Post;
        request.Content = new StringContent("""{"url": "https://example.com/cat.jpg"}""", Encoding.UTF8, "application/json");
        return request;
    }

    /// <summary>The body, less the problem's traceId, which differs on every request.</summary>
    private static async Task<string> NormalisedBodyAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
        {
            return text;
        }

        var body = JsonNode.Parse(text)!.AsObject();
        Assert.Equal((int)response.StatusCode, body["status"]!.GetValue<int>());
        body.Remove("traceId");
        return body.ToJsonString();
    }
}
