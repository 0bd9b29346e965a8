using System.Net;
using System.Net.Http.Headers;
using System.Net.Mime;
using System.Text;
using System.Text.Json;
using CloudNative.CloudEvents;
using CloudNative.CloudEvents.Http;
using CloudNative.CloudEvents.SystemTextJson;
using ImageClassifier.Failures;
using ImageClassifier.Tests.Harness;
using ImageClassifier.Tests.Harness.Fakes;

namespace ImageClassifier.Tests.Edge;

/// <summary>Each request form through the whole host, answered in its mode with the configured reply attributes.</summary>
public sealed class FunctionEndpointHttpTests : FakedFunctionTest
{

    [Fact]
    public async Task A_binary_mode_event_gets_a_binary_mode_reply()
    {
        using var request = BinaryEvent("com.example.classify", Json($$"""{"url": "{{CatUrl}}", "topK": 2}"""));

        using var response = await Client.SendAsync(request);

        var reply = await AssertBinaryReplyAsync(response);
        Assert.Equal(CatUrl, reply.Subject);
        var data = Data(reply);
        Assert.Equal(CatUrl, data.GetProperty("url").GetString());
        Assert.Equal(2, data.GetProperty("predictions").GetArrayLength());
        Assert.Equal(new Uri(CatUrl), Assert.Single(Function.Fetcher.Requested));
    }

    [Fact]
    public async Task A_binary_mode_event_with_an_image_gets_a_binary_mode_reply_without_url()
    {
        using var request = BinaryEvent("com.example.classify", Image([7, 8, 9]));

        using var response = await Client.SendAsync(request);

        var reply = await AssertBinaryReplyAsync(response);
        Assert.Null(reply.Subject);
        Assert.False(Data(reply).TryGetProperty("url", out _));
        Assert.Equal(new byte[] { 7, 8, 9 }, Assert.Single(Function.Loader.Loaded));
        Assert.Empty(Function.Fetcher.Requested);
    }

    [Fact]
    public async Task A_structured_mode_event_gets_a_structured_mode_reply()
    {
        using var response = await Client.PostAsync("/", StructuredEvent("com.example.classify"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/cloudevents+json", response.Content.Headers.ContentType?.MediaType);
        Assert.False(response.Headers.Contains("ce-id"));
        var reply = await response.ToCloudEventAsync(new JsonEventFormatter());
        AssertReplyAttributes(reply);
        Assert.Equal(CatUrl, reply.Subject);
        Assert.Equal(FakeClassifier.Cats.Length, Data(reply).GetProperty("predictions").GetArrayLength());
    }

    [Fact]
    public async Task Plain_json_gets_a_binary_mode_reply()
    {
        using var response = await Client.PostAsync("/", Json($$"""{"url": "{{CatUrl}}", "topK": 1}"""));

        var reply = await AssertBinaryReplyAsync(response);
        Assert.Equal(CatUrl, reply.Subject);
        var data = Data(reply);
        Assert.Equal(FakeClassifier.FakeModel.Name, data.GetProperty("model").GetProperty("name").GetString());
        Assert.Equal(FakeClassifier.FakeModel.Sha256, data.GetProperty("model").GetProperty("sha256").GetString());
        var prediction = Assert.Single(data.GetProperty("predictions").EnumerateArray());
        Assert.Equal("Egyptian cat", prediction.GetProperty("label").GetString());
    }

    [Fact]
    public async Task A_raw_image_gets_a_binary_mode_reply()
    {
        using var response = await Client.PostAsync("/", Image([1, 2, 3]));

        var reply = await AssertBinaryReplyAsync(response);
        Assert.Null(reply.Subject);
        Assert.Equal(new byte[] { 1, 2, 3 }, Assert.Single(Function.Loader.Loaded));
    }

    [Fact]
    public async Task A_binary_mode_event_of_the_reply_type_is_acknowledged_and_not_classified()
    {
        using var request = BinaryEvent(FakedFunctionApp.ReplyType, Json("""{"predictions": []}"""));

        using var response = await Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        Assert.Empty(Function.Loader.Loaded);
    }

    [Fact]
    public async Task A_structured_mode_event_of_the_reply_type_is_acknowledged_and_not_classified()
    {
        using var response = await Client.PostAsync("/", StructuredEvent(FakedFunctionApp.ReplyType));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        Assert.Empty(Function.Fetcher.Requested);
    }

    [Fact]
    public async Task An_unknown_content_type_is_415()
    {
        using var response = await Client.PostAsync("/", new StringContent("cat", Encoding.UTF8, "text/plain"));

        await AssertProblemAsync(response, HttpStatusCode.UnsupportedMediaType, "unsupported-media-type");
    }

    [Fact]
    public async Task An_invalid_event_is_400()
    {
        using var request = BinaryEvent("com.example.classify", Json($$"""{"url": "{{CatUrl}}"}"""));
        request.Headers.Remove("ce-id");

        using var response = await Client.SendAsync(request);

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "invalid-cloudevent");
    }

    [Fact]
    public async Task A_body_over_its_limit_is_413()
    {
        using var response = await Client.PostAsync("/", Image(new byte[65537]));

        await AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, "payload-too-large");
    }

    [Fact]
    public async Task A_top_k_the_function_refuses_is_400()
    {
        using var response = await Client.PostAsync("/", Json($$"""{"url": "{{CatUrl}}", "topK": 0}"""));

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "invalid-top-k");
    }

    [Fact]
    public async Task TOP_K_s_default_is_clamped_to_a_model_with_fewer_classes_but_an_explicit_top_k_above_them_is_400()
    {
        Function.Classifier.ClassCount = 2;

        using var defaulted = await Client.PostAsync("/", Json($$"""{"url": "{{CatUrl}}"}"""));
        using var explicitly = await Client.PostAsync("/", Json($$"""{"url": "{{CatUrl}}", "topK": 3}"""));

        var reply = await AssertBinaryReplyAsync(defaulted);
        Assert.Equal(2, Data(reply).GetProperty("predictions").GetArrayLength());
        await AssertProblemAsync(explicitly, HttpStatusCode.BadRequest, "invalid-top-k");
    }

    [Fact]
    public async Task A_failure_of_the_image_host_keeps_its_status()
    {
        Function.Fetcher.Failure = Problems.UpstreamTimeout.Failure("The image host was too slow.");

        using var response = await Client.PostAsync("/", Json($$"""{"url": "{{CatUrl}}"}"""));

        await AssertProblemAsync(response, HttpStatusCode.GatewayTimeout, "upstream-timeout");
    }

    [Fact]
    public async Task An_unexpected_exception_is_a_500_problem()
    {
        Function.Classifier.Failure = new InvalidOperationException("secret internals");

        using var response = await Client.PostAsync("/", Json($$"""{"url": "{{CatUrl}}"}"""));

        var problem = await AssertProblemAsync(response, HttpStatusCode.InternalServerError, "internal-error");
        Assert.DoesNotContain("secret", problem.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Not_ready_is_503_with_retry_after_and_reads_nothing()
    {
        Function.Classifier.IsReady = false;

        using var response = await Client.PostAsync("/", Json($$"""{"url": "{{CatUrl}}"}"""));

        await AssertProblemAsync(response, HttpStatusCode.ServiceUnavailable, "not-ready");
        Assert.Equal(TimeSpan.FromSeconds(1), response.Headers.RetryAfter?.Delta);
        Assert.Empty(Function.Fetcher.Requested);
    }

    [Fact]
    public async Task Another_method_is_405_with_a_problem_body()
    {
        using var response = await Client.GetAsync("/");

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    private static HttpRequestMessage BinaryEvent(string type, HttpContent content)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/") { Content = content };
        request.Headers.Add("ce-specversion", "1.0");
        request.Headers.Add("ce-id", "event-1");
        request.Headers.Add("ce-source", "/tests");
        request.Headers.Add("ce-type", type);
        return request;
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static ByteArrayContent Image(byte[] bytes)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
        return content;
    }

    private static async Task<CloudEvent> AssertBinaryReplyAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("1.0", Assert.Single(response.Headers.GetValues("ce-specversion")));
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var reply = await response.ToCloudEventAsync(new JsonEventFormatter());
        AssertReplyAttributes(reply);
        return reply;
    }

    private static void AssertReplyAttributes(CloudEvent reply)
    {
        Assert.Equal(CloudEventsSpecVersion.V1_0, reply.SpecVersion);
        Assert.True(Guid.TryParse(reply.Id, out _));
        Assert.Equal(new Uri(FakedFunctionApp.ReplySource), reply.Source);
        Assert.Equal(FakedFunctionApp.ReplyType, reply.Type);
        Assert.Equal(FakedFunctionApp.Now, reply.Time);
        Assert.Equal("application/json", new ContentType(reply.DataContentType!).MediaType);
    }

    private static JsonElement Data(CloudEvent reply) => Assert.IsType<JsonElement>(reply.Data);

    private static async Task<JsonElement> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string problem)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var document = JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync());
        var root = document.RootElement.Clone();
        Assert.Equal("urn:image-classifier:problem:" + problem, root.GetProperty("type").GetString());
        Assert.Equal((int)status, root.GetProperty("status").GetInt32());
        return root;
    }

    /// <summary>A structured-mode event of <paramref name="type"/> naming the cat image.</summary>
    private static StringContent StructuredEvent(string type) => new($$"""
        {"specversion": "1.0", "id": "e1", "source": "/tests", "type": "{{type}}", "data": {"url": "{{CatUrl}}"} }
        """, Encoding.UTF8, "application/cloudevents+json");
}
