using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using ImageClassifier.Tests.Harness;
using Microsoft.Playwright;

namespace ImageClassifier.Tests.Ui;

/// <summary>
/// The try page in a real Chromium against the real function (real model) on loopback: what a
/// person who opens the function's URL sees and can do.
/// </summary>
public sealed partial class TryPageBrowserTests(TryPageFixture fixture) : IClassFixture<TryPageFixture>
{
    /// <summary>The classes MobileNet v2 gives chelsea.png first (TestImages/README.md).</summary>
    private static readonly string[] CatLabels = ["Egyptian cat", "tiger cat", "tabby"];

    [Fact]
    public async Task Uploading_chelsea_shows_a_cat_class_at_the_top_with_bars_model_and_time()
    {
        await using var session = await TryPageSession.OpenAsync(fixture.Browser, fixture.Function.BaseAddress);

        var request = await session.Page.RunAndWaitForRequestAsync(
            () => session.ChooseFileAsync(TestImages.PathOf("chelsea.png")),
            r => r.Method == "POST");
        await session.WaitForPredictionsAsync();

        // The page sent what the function already reads: a binary-mode event carrying the file's bytes.
        var headers = await request.AllHeadersAsync();
        Assert.Equal("1.0", headers["ce-specversion"]);
        Assert.Equal("/ui", headers["ce-source"]);
        Assert.Equal("dev.knative.samples.image.classify", headers["ce-type"]);
        Assert.Matches(Uuid(), headers["ce-id"]);
        Assert.Equal("image/png", headers["content-type"]);

        var labels = await session.PredictionLabels.AllTextContentsAsync();
        var values = await session.PredictionValues.AllTextContentsAsync();
        Assert.Contains(labels[0], CatLabels);
        Assert.Equal($"Top prediction: {labels[0]}, {values[0]}", await session.Status.TextContentAsync());
        Assert.All(values, value => Assert.Matches(Percentage(), value));

        // The bars, the labels and the percentages say what the reply says.
        await session.OpenRawReplyAsync();
        using var reply = JsonDocument.Parse(await session.Page.Locator("#raw-data").TextContentAsync() ?? "");
        var predictions = reply.RootElement.GetProperty("predictions").EnumerateArray().ToArray();

        // The same bytes sent directly get the same answer: the page sent the file as it is.
        using var direct = JsonDocument.Parse(await PostAsync(fixture.Function.BaseAddress, Replies.ImageContent("chelsea.png"), expectSuccess: true));
        Assert.True(
            JsonElement.DeepEquals(direct.RootElement.GetProperty("predictions"), reply.RootElement.GetProperty("predictions")),
            $"direct {direct.RootElement.GetProperty("predictions")}, page {reply.RootElement.GetProperty("predictions")}");
        Assert.Equal(predictions.Select(p => p.GetProperty("label").GetString()), labels);
        var tracks = await session.Page.Locator("#predictions .bar").EvaluateAllAsync<double[]>("bars => bars.map(b => b.getBoundingClientRect().width)");
        var fills = await session.Page.Locator("#predictions .bar-fill").EvaluateAllAsync<double[]>("bars => bars.map(b => b.getBoundingClientRect().width)");
        for (var i = 0; i < predictions.Length; i++)
        {
            var probability = predictions[i].GetProperty("probability").GetDouble();
            Assert.InRange(fills[i] / tracks[i], probability - 0.01, probability + 0.01);
            Assert.Equal((probability * 100).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture) + "%", values[i]);
        }

        Assert.Equal(reply.RootElement.GetProperty("model").GetProperty("name").GetString(), await session.Page.Locator("#model-name").TextContentAsync());
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(SharedModels.MobileNet)));
        Assert.Equal(sha256[..12], await session.Page.Locator("#model-sha").TextContentAsync());
        Assert.Matches(Milliseconds(), await session.Page.Locator("#elapsed").TextContentAsync());
        Assert.True(await session.Page.Locator("#preview").EvaluateAsync<bool>("img => img.complete && img.naturalWidth > 0"));

        var attributes = await session.Page.Locator("#raw-attributes").TextContentAsync();
        Assert.Contains("specversion: 1.0", attributes, StringComparison.Ordinal);
        Assert.Contains("type: io.kserve.inference.response", attributes, StringComparison.Ordinal);
        Assert.Contains("datacontenttype: application/json", attributes, StringComparison.Ordinal);
        session.AssertNothingBroke();
    }

    [Fact]
    public async Task A_loopback_image_url_is_classified()
    {
        await using var session = await TryPageSession.OpenAsync(fixture.Browser, fixture.Function.BaseAddress);
        var url = fixture.ImageHost.Url("chelsea.png");
        var hits = fixture.ImageHost.Hits("/chelsea.png");

        var request = await session.Page.RunAndWaitForRequestAsync(() => session.ClassifyUrlAsync(url), r => r.Method == "POST");
        await session.WaitForPredictionsAsync();

        var headers = await request.AllHeadersAsync();
        Assert.Equal("/ui", headers["ce-source"]);
        Assert.Equal("application/json", headers["content-type"]);
        using var body = JsonDocument.Parse(request.PostData ?? "");
        Assert.Equal(url.ToString(), body.RootElement.GetProperty("url").GetString());
        Assert.Contains((await session.PredictionLabels.AllTextContentsAsync())[0], CatLabels);
        Assert.Contains(url.ToString(), await session.Page.Locator("#preview-caption").TextContentAsync(), StringComparison.Ordinal);
        Assert.Equal(hits + 1, fixture.ImageHost.Hits("/chelsea.png"));
        session.AssertNothingBroke();
    }

    [Fact]
    public async Task A_text_file_shows_the_415_problems_title()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("try-page-").FullName, "notes.txt");
        await File.WriteAllTextAsync(path, "Not an image at all.");
        await using var session = await TryPageSession.OpenAsync(fixture.Browser, fixture.Function.BaseAddress);
        var expected = await ProblemAsync(fixture.Function.BaseAddress, new StringContent("Not an image at all.", Encoding.UTF8, "text/plain"));

        await session.ChooseFileAsync(path);
        await session.WaitForProblemAsync();

        Assert.Equal(415, expected.Status);
        Assert.Equal("HTTP 415", await session.Page.Locator("#problem-status").TextContentAsync());
        Assert.Equal(expected.Title, await session.Page.Locator("#problem-title").TextContentAsync());
        Assert.Equal(expected.Detail, await session.Page.Locator("#problem-detail").TextContentAsync());
        Assert.StartsWith(expected.Title, await session.Status.TextContentAsync(), StringComparison.Ordinal);
        Assert.False(await session.Page.Locator("#result").IsVisibleAsync());
        session.AssertNothingBroke(expectedErrorStatus: 415);
        Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
    }

    [Fact]
    public async Task A_refused_url_shows_the_refusal_and_nothing_is_fetched()
    {
        await using var session = await TryPageSession.OpenAsync(fixture.Browser, fixture.GuardedFunction.BaseAddress);
        var url = fixture.ImageHost.Url("chelsea.png");
        var hits = fixture.ImageHost.RequestCount;
        var expected = await ProblemAsync(
            fixture.GuardedFunction.BaseAddress, new StringContent(JsonSerializer.Serialize(new { url }), Encoding.UTF8, "application/json"));

        await session.ClassifyUrlAsync(url);
        await session.WaitForProblemAsync();

        Assert.Equal(422, expected.Status);
        Assert.Equal("HTTP 422", await session.Page.Locator("#problem-status").TextContentAsync());
        Assert.Equal(expected.Title, await session.Page.Locator("#problem-title").TextContentAsync());
        Assert.Equal(expected.Detail, await session.Page.Locator("#problem-detail").TextContentAsync());
        Assert.Equal(hits, fixture.ImageHost.RequestCount);
        session.AssertNothingBroke(expectedErrorStatus: 422);
    }

    [Fact]
    public async Task The_keyboard_reaches_every_control_in_order_and_the_result_is_announced()
    {
        await using var session = await TryPageSession.OpenAsync(fixture.Browser, fixture.Function.BaseAddress);
        var page = session.Page;

        Assert.Equal("file", await page.GetByLabel("Choose an image file").GetAttributeAsync("id"));
        Assert.Equal("polite", await page.GetByRole(AriaRole.Status).GetAttributeAsync("aria-live"));
        var order = new List<string?>();
        for (var i = 0; i < 3; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            order.Add(await page.EvaluateAsync<string?>("() => document.activeElement.id"));
        }

        Assert.Equal(["file", "url", "url-submit"], order);
        Assert.NotEqual("none", await page.Locator("#url-submit").EvaluateAsync<string>("b => getComputedStyle(b).outlineStyle"));

        await page.Keyboard.PressAsync("Shift+Tab");
        await page.Keyboard.TypeAsync(fixture.ImageHost.Url("chelsea.png").ToString());
        await page.Keyboard.PressAsync("Enter");
        await session.WaitForPredictionsAsync();

        Assert.Contains((await session.PredictionLabels.AllTextContentsAsync())[0], CatLabels);
        Assert.Equal("url", await page.EvaluateAsync<string?>("() => document.activeElement.id"));
        session.AssertNothingBroke();
    }

    [Fact]
    public async Task At_375_px_nothing_scrolls_sideways()
    {
        await using var session = await TryPageSession.OpenAsync(fixture.Browser, fixture.Function.BaseAddress, width: 375, height: 812);
        var page = session.Page;
        Assert.True(await FitsAsync(page), "the empty page scrolls sideways");

        await session.ClassifyUrlAsync(fixture.ImageHost.Url("chelsea.png?" + new string('x', 200)));
        await session.WaitForPredictionsAsync();
        await session.OpenRawReplyAsync();
        Assert.True(await FitsAsync(page), "the page with a result and its raw reply scrolls sideways");
        Assert.True(await page.Locator("#predictions").EvaluateAsync<bool>("list => list.getBoundingClientRect().right <= document.documentElement.clientWidth"));

        session.AssertNothingBroke();
    }

    [Fact]
    public async Task It_follows_the_systems_dark_mode()
    {
        await using var light = await TryPageSession.OpenAsync(fixture.Browser, fixture.Function.BaseAddress, colorScheme: ColorScheme.Light);
        await using var dark = await TryPageSession.OpenAsync(fixture.Browser, fixture.Function.BaseAddress, colorScheme: ColorScheme.Dark);

        var lightLuminance = await BackgroundLuminanceAsync(light.Page);
        var darkLuminance = await BackgroundLuminanceAsync(dark.Page);

        Assert.True(lightLuminance > 0.8, $"light background luminance {lightLuminance}");
        Assert.True(darkLuminance < 0.2, $"dark background luminance {darkLuminance}");
    }

    [Fact]
    public async Task The_violation_listener_sees_an_inline_style_so_a_clean_page_means_something()
    {
        await using var session = await TryPageSession.OpenAsync(fixture.Browser, fixture.Function.BaseAddress);

        await session.Page.EvaluateAsync("() => { const s = document.createElement('style'); s.textContent = 'body { color: red }'; document.head.append(s); }");

        await Assertions.Expect(session.Page.Locator("body")).Not.ToHaveCSSAsync("color", "rgb(255, 0, 0)");
        var deadline = DateTime.UtcNow + TryPageSession.Patience;
        while (session.CspViolations.Count == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.Contains(session.CspViolations, violation => violation.StartsWith("style-src", StringComparison.Ordinal));
        Assert.Contains(session.ConsoleErrors, error => error.Contains("Content Security Policy", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_screenshot_of_a_classification_for_the_README()
    {
        await using var session = await TryPageSession.OpenAsync(fixture.Browser, fixture.Function.BaseAddress, width: 1000, height: 760);

        await session.ChooseFileAsync(TestImages.PathOf("chelsea.png"));
        await session.WaitForPredictionsAsync();
        await session.Page.EvaluateAsync("() => document.fonts.ready");

        // Always into the test output; into docs/ only when asked, so a test run never edits the checkout.
        var screenshot = await session.Page.ScreenshotAsync(new PageScreenshotOptions { FullPage = true });
        await File.WriteAllBytesAsync(Path.Combine(AppContext.BaseDirectory, "try-page.png"), screenshot);
        if (Environment.GetEnvironmentVariable("UPDATE_SCREENSHOT") == "1")
        {
            await File.WriteAllBytesAsync(Path.Combine(RepositoryRoot.Path, "docs", "try-page.png"), screenshot);
        }

        Assert.True(screenshot.Length > 10_000, $"a {screenshot.Length}-byte screenshot is blank");
        session.AssertNothingBroke();
    }

    private static async Task<(int Status, string Title, string Detail)> ProblemAsync(Uri function, HttpContent content)
    {
        var (status, body) = await SendEventAsync(function, content);
        using var problem = JsonDocument.Parse(body);
        return (status, problem.RootElement.GetProperty("title").GetString()!, problem.RootElement.GetProperty("detail").GetString()!);
    }

    private static async Task<string> PostAsync(Uri function, HttpContent content, bool expectSuccess)
    {
        var (status, body) = await SendEventAsync(function, content);
        Assert.True(!expectSuccess || status == 200, $"{status}: {body}");
        return body;
    }

    /// <summary>Sends what the page sends, as a binary-mode event from /ui, without a browser.</summary>
    private static async Task<(int Status, string Body)> SendEventAsync(Uri function, HttpContent content)
    {
        using var client = new HttpClient { BaseAddress = function };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/") { Content = content };
        request.Headers.Add("ce-specversion", "1.0");
        request.Headers.Add("ce-id", Guid.NewGuid().ToString());
        request.Headers.Add("ce-source", "/ui");
        request.Headers.Add("ce-type", "dev.knative.samples.image.classify");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("*/*"));
        using var response = await client.SendAsync(request);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static Task<bool> FitsAsync(IPage page) =>
        page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= document.documentElement.clientWidth");

    private static Task<double> BackgroundLuminanceAsync(IPage page) => page.EvaluateAsync<double>("""
        () => {
          const [r, g, b] = getComputedStyle(document.body).backgroundColor.match(/\d+/g).map(Number);
          return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
        }
        """);

    [GeneratedRegex("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")]
    private static partial Regex Uuid();

    [GeneratedRegex(@"^\d{1,3}\.\d%$")]
    private static partial Regex Percentage();

    [GeneratedRegex(@"^\d+ ms$")]
    private static partial Regex Milliseconds();
}
