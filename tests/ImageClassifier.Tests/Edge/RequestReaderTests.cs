using ImageClassifier.Delivery;
using ImageClassifier.Edge;
using ImageClassifier.Failures;
using ImageClassifier.Fetching;
using ImageClassifier.Tests.Harness;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace ImageClassifier.Tests.Edge;

public sealed class RequestReaderTests : IDisposable
{
    private const string CatUrl = "https://example.com/cat.jpg";

    private static readonly (string, string)[] EventHeaders =
    [
        ("ce-specversion", "1.0"),
        ("ce-id", "event-1"),
        ("ce-source", "/tests"),
        ("ce-type", "com.example.classify"),
    ];

    private readonly ServiceProvider services = EdgeServices.Build(new Dictionary<string, string?>
    {
        ["MAX_REQUEST_BYTES"] = "1024",
        ["FETCH_MAX_BYTES"] = "4096",
        ["MAX_BATCH_EVENTS"] = "3",
    });

    private RequestReader Reader => services.Reader();

    public static TheoryData<string> BodyForms => ["raw-image", "binary-image", "binary-json", "structured", "plain-json"];

    [Theory]
    [MemberData(nameof(BodyForms))]
    public async Task Disposing_a_request_gives_its_body_back_to_the_memory_budget(string form)
    {
        var context = form switch
        {
            "raw-image" => HttpContexts.Request("image/jpeg", new byte[2048]),
            "binary-image" => HttpContexts.Request("image/jpeg", new byte[2048]),
            "binary-json" => HttpContexts.Request("application/json", $$"""{"url": "{{CatUrl}}"}"""),
            "structured" => HttpContexts.Request("application/cloudevents+json", $$$"""{"specversion":"1.0","id":"e1","source":"/t","type":"t","data":{"url":"{{{CatUrl}}}"}}"""),
            _ => HttpContexts.Request("application/json", $$"""{"url": "{{CatUrl}}"}"""),
        };
        if (form.StartsWith("binary", StringComparison.Ordinal))
        {
            AddHeaders(context, EventHeaders);
        }

        var budget = services.Budget();
        var incoming = await Reader.ReadAsync(context.Request, CancellationToken.None);
        Assert.NotNull(incoming.Request);

        incoming.Dispose();

        Assert.Equal(0, budget.Reserved);
    }

    [Fact]
    public async Task Binary_mode_json_names_the_url_and_top_k()
    {
        var incoming = await ReadAsync(HttpContexts.Request("application/json", $$"""{"url": "{{CatUrl}}", "topK": 3}""", EventHeaders));

        Assert.Equal(RequestForm.BinaryCloudEvent, incoming.Form);
        Assert.Equal("event-1", incoming.Event?.Id);
        Assert.Equal(new ClassificationRequest(new Uri(CatUrl), null, 3, "event-1"), incoming.Request);
    }

    [Fact]
    public async Task Binary_mode_image_carries_the_bytes()
    {
        var context = HttpContexts.Request("image/jpeg", new byte[2048]);
        AddHeaders(context, EventHeaders);

        var incoming = await ReadAsync(context);

        Assert.Equal(RequestForm.BinaryCloudEvent, incoming.Form);
        Assert.Null(incoming.Request?.Url);
        Assert.Equal(2048, incoming.Request?.Image?.Length);
    }

    [Fact]
    public async Task Binary_mode_json_over_the_json_limit_is_too_large()
    {
        var padding = new string(' ', 1024);
        await AssertFailsAsync(
            HttpContexts.Request("application/json", $$"""{"url": "{{CatUrl}}"{{padding}}}""", EventHeaders),
            Problems.PayloadTooLarge);
    }

    [Fact]
    public async Task Binary_mode_image_over_the_image_limit_is_too_large()
    {
        var context = HttpContexts.Request("image/jpeg", new byte[4097]);
        AddHeaders(context, EventHeaders);

        await AssertFailsAsync(context, Problems.PayloadTooLarge);
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/xml")]
    [InlineData(null)]
    public async Task Binary_mode_data_of_another_type_is_unsupported(string? contentType)
    {
        await AssertFailsAsync(HttpContexts.Request(contentType, "data", EventHeaders), Problems.UnsupportedMediaType);
    }

    [Fact]
    public async Task Binary_mode_event_of_the_reply_type_is_acknowledged_without_reading_its_body()
    {
        var context = HttpContexts.Request("application/json", """{"predictions": []}""",
            [.. EventHeaders.SkipLast(1), ("ce-type", FunctionOptions.DefaultReplyType)]);

        var incoming = await ReadAsync(context);

        Assert.True(incoming.IsOwnReply);
        Assert.Equal(0, context.Request.Body.Position);
    }

    [Fact]
    public async Task Structured_mode_json_data_names_the_url()
    {
        var incoming = await ReadAsync(HttpContexts.Request("application/cloudevents+json; charset=utf-8", $$"""
            {"specversion": "1.0", "id": "e1", "source": "/s", "type": "t", "data": {"url": "{{CatUrl}}", "topK": 2} }
            """));

        Assert.Equal(RequestForm.StructuredCloudEvent, incoming.Form);
        Assert.Equal("e1", incoming.Event?.Id);
        Assert.Equal(new ClassificationRequest(new Uri(CatUrl), null, 2, "e1"), incoming.Request);
    }

    [Fact]
    public async Task Structured_mode_data_base64_image_carries_the_bytes()
    {
        var incoming = await ReadAsync(HttpContexts.Request("application/cloudevents+json", """
            {"specversion": "1.0", "id": "e1", "source": "/s", "type": "t", "datacontenttype": "image/png", "data_base64": "AQID"}
            """));

        Assert.Equal(new byte[] { 1, 2, 3 }, incoming.Request?.Image?.ToArray());
    }

    [Fact]
    public async Task Structured_mode_may_carry_an_image_as_large_as_the_image_limit()
    {
        var image = Convert.ToBase64String(new byte[4096]);
        var incoming = await ReadAsync(HttpContexts.Request("application/cloudevents+json", $$"""
            {"specversion": "1.0", "id": "e1", "source": "/s", "type": "t", "datacontenttype": "image/png", "data_base64": "{{image}}"}
            """));

        Assert.Equal(4096, incoming.Request?.Image?.Length);
    }

    [Fact]
    public async Task Structured_mode_event_of_the_reply_type_is_acknowledged()
    {
        var incoming = await ReadAsync(HttpContexts.Request("application/cloudevents+json", $$"""
            {"specversion": "1.0", "id": "e1", "source": "/s", "type": "{{FunctionOptions.DefaultReplyType}}", "data": {"predictions": []} }
            """));

        Assert.True(incoming.IsOwnReply);
    }

    [Theory]
    [InlineData("""{"specversion": "1.0", "id": "e1", "source": "/s", "type": "t"}""", "invalid-request")]
    [InlineData("""{"specversion": "1.0", "id": "e1", "source": "/s", "type": "t", "data_base64": "AQID"}""", "invalid-request")]
    [InlineData("""{"specversion": "1.0", "id": "e1", "source": "/s", "type": "t", "datacontenttype": "image/png", "data": "AQID"}""", "invalid-request")]
    [InlineData("""{"specversion": "1.0", "id": "e1", "source": "/s", "type": "t", "data": {"url": 5}}""", "invalid-request")]
    [InlineData("""{"specversion": "1.0", "id": "e1", "source": "/s", "type": "t", "data": {"url": "cat.jpg"}}""", "invalid-url")]
    [InlineData("""{"specversion": "1.0", "id": "e1", "source": "/s", "type": "t", "datacontenttype": "text/plain", "data": "cat"}""", "unsupported-media-type")]
    [InlineData("""{"specversion": "1.0", "source": "/s", "type": "t"}""", "invalid-cloudevent")]
    public async Task Structured_mode_without_usable_data_is_refused(string json, string problem)
    {
        var failure = await Assert.ThrowsAsync<ClassificationException>(
            () => ReadAsync(HttpContexts.Request("application/cloudevents+json", json)));

        Assert.Equal(problem, failure.Type.Slug);
    }

    [Theory]
    [InlineData("application/cloudevents+avro")]
    [InlineData("application/cloudevents+xml")]
    [InlineData("application/cloudevents")]
    public async Task Structured_mode_in_another_format_is_unsupported(string contentType)
    {
        await AssertFailsAsync(HttpContexts.Request(contentType, "{}"), Problems.UnsupportedMediaType);
    }

    [Fact]
    public async Task A_batch_is_read_event_by_event_and_a_bad_event_fails_alone()
    {
        var (entries, body) = await Reader.ReadBatchAsync(HttpContexts.Request("application/cloudevents-batch+json", $$$"""
            [ {"specversion": "1.0", "id": "a", "source": "/s", "type": "com.example.classify", "data": {"url": "{{{CatUrl}}}"}},
              {"specversion": "1.0", "source": "/s", "type": "com.example.classify", "data": {"url": "{{{CatUrl}}}"}},
              {"specversion": "1.0", "id": "c", "source": "/s", "type": "com.example.classify", "data": {"topK": 2}} ]
            """).Request, CancellationToken.None);
        using var owned = body;

        Assert.Equal(3, entries.Count);
        Assert.Equal(RequestForm.Batch, entries[0].Incoming?.Form);
        Assert.Equal(new ClassificationRequest(new Uri(CatUrl), null, null, "a"), entries[0].Incoming?.Request);
        Assert.Equal(Problems.InvalidCloudEvent, entries[1].Failure?.Type);
        Assert.Null(entries[1].Event);
        Assert.Equal(Problems.InvalidRequest, entries[2].Failure?.Type);
        Assert.Equal("c", entries[2].Event?.Id);
    }

    [Fact]
    public async Task A_batch_event_of_the_failed_reply_type_is_the_functions_own()
    {
        var (entries, body) = await Reader.ReadBatchAsync(HttpContexts.Request("application/cloudevents-batch+json", $$$"""
            [ {"specversion": "1.0", "id": "a", "source": "/s", "type": "{{{FunctionOptions.DefaultReplyType}}}.failed", "data": {}} ]
            """).Request, CancellationToken.None);
        using var owned = body;

        Assert.True(Assert.Single(entries).Incoming?.IsOwnReply);
    }

    [Fact]
    public async Task A_batch_over_MAX_BATCH_EVENTS_is_413()
    {
        var events = string.Join(',', Enumerable.Range(0, 4).Select(i =>
            $$$"""{"specversion": "1.0", "id": "{{{i}}}", "source": "/s", "type": "t.x", "data": {"url": "{{{CatUrl}}}"}}"""));

        var failure = await Assert.ThrowsAsync<ClassificationException>(() =>
            Reader.ReadBatchAsync(HttpContexts.Request("application/cloudevents-batch+json", $"[{events}]").Request, CancellationToken.None));

        Assert.Equal(Problems.TooManyEvents, failure.Type);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("[")]
    public async Task A_batch_that_is_not_a_json_array_is_400(string body)
    {
        var failure = await Assert.ThrowsAsync<ClassificationException>(() =>
            Reader.ReadBatchAsync(HttpContexts.Request("application/cloudevents-batch+json", body).Request, CancellationToken.None));

        Assert.Equal(400, failure.Type.Status);
    }

    [Theory]
    [InlineData("application/cloudevents-batch+json", "batch")]
    [InlineData("application/cloudevents+json", "structured")]
    [InlineData("application/json", "json")]
    [InlineData("image/png", "image")]
    [InlineData("text/plain", "unknown")]
    public void Recognises_the_form_from_the_headers(string contentType, string form)
    {
        Assert.Equal(form, RequestFormNames.Of(RequestReader.Recognise(HttpContexts.Request(contentType, "").Request)));
    }

    [Fact]
    public async Task Plain_json_names_the_url_and_top_k()
    {
        var incoming = await ReadAsync(HttpContexts.Request("application/json", $$"""{"url": "{{CatUrl}}", "topK": 3}"""));

        Assert.Equal(RequestForm.PlainJson, incoming.Form);
        Assert.Null(incoming.Event);
        Assert.Equal(new ClassificationRequest(new Uri(CatUrl), null, 3), incoming.Request);
    }

    [Fact]
    public async Task Plain_json_without_top_k_leaves_it_to_the_default()
    {
        var incoming = await ReadAsync(HttpContexts.Request("application/json", $$"""{"url": "{{CatUrl}}", "extra": true}"""));

        Assert.Null(incoming.Request?.TopK);
    }

    [Fact]
    public async Task Plain_json_over_the_json_limit_is_too_large()
    {
        await AssertFailsAsync(
            HttpContexts.Request("application/json", new byte[1025], withContentLength: false),
            Problems.PayloadTooLarge);
    }

    [Theory]
    [InlineData("{\"url\": ", "not valid JSON")]
    [InlineData("", "not valid JSON")]
    [InlineData("[]", "must be a JSON object")]
    [InlineData("{}", "no \"url\"")]
    [InlineData("{\"url\": null}", "no \"url\"")]
    [InlineData("{\"url\": 5}", "\"url\" must be a string")]
    [InlineData("{\"url\": {\"href\": \"x\"}}", "\"url\" must be a string")]
    [InlineData("{\"url\": \"https://example.com/a.jpg\", \"topK\": \"5\"}", "\"topK\" must be an integer")]
    [InlineData("{\"url\": \"https://example.com/a.jpg\", \"topK\": 2.5}", "\"topK\" must be an integer")]
    public async Task Plain_json_that_is_malformed_is_an_invalid_request(string json, string detail)
    {
        var failure = await Assert.ThrowsAsync<ClassificationException>(
            () => ReadAsync(HttpContexts.Request("application/json", json)));

        Assert.Equal(Problems.InvalidRequest, failure.Type);
        Assert.Contains(detail, failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("cat.jpg")]
    [InlineData("/images/cat.jpg")]
    [InlineData("https://")]
    [InlineData("")]
    public async Task Plain_json_with_a_url_that_is_not_absolute_is_an_invalid_url(string url)
    {
        await AssertFailsAsync(
            HttpContexts.Request("application/json", $$"""{"url": "{{url}}"}"""), Problems.InvalidUrl);
    }

    [Theory]
    [InlineData("ftp://example.com/cat.jpg")]
    [InlineData("file:///etc/passwd")]
    public async Task Plain_json_with_an_absolute_url_of_another_scheme_is_left_to_the_fetcher(string url)
    {
        var incoming = await ReadAsync(HttpContexts.Request("application/json", $$"""{"url": "{{url}}"}"""));

        Assert.Equal(new Uri(url), incoming.Request?.Url);
    }

    [Fact]
    public async Task Raw_image_carries_the_bytes()
    {
        var incoming = await ReadAsync(HttpContexts.Request("image/png", new byte[] { 1, 2, 3 }));

        Assert.Equal(RequestForm.RawImage, incoming.Form);
        Assert.Equal(new byte[] { 1, 2, 3 }, incoming.Request?.Image?.ToArray());
    }

    [Fact]
    public async Task Raw_image_that_is_empty_is_an_invalid_request()
    {
        await AssertFailsAsync(HttpContexts.Request("image/png", []), Problems.InvalidRequest);
    }

    [Fact]
    public async Task Raw_image_over_the_image_limit_is_too_large()
    {
        await AssertFailsAsync(HttpContexts.Request("image/png", new byte[4097]), Problems.PayloadTooLarge);
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/xml")]
    [InlineData("multipart/form-data; boundary=x")]
    [InlineData("image/*")]
    [InlineData("not a content type")]
    [InlineData(null)]
    public async Task Any_other_content_type_is_unsupported(string? contentType)
    {
        await AssertFailsAsync(HttpContexts.Request(contentType, "x"), Problems.UnsupportedMediaType);
    }

    public void Dispose() => services.Dispose();

    private Task<IncomingRequest> ReadAsync(HttpContext context) => Reader.ReadAsync(context.Request, CancellationToken.None);

    private async Task AssertFailsAsync(HttpContext context, ProblemType type)
    {
        var failure = await Assert.ThrowsAsync<ClassificationException>(() => ReadAsync(context));
        Assert.Equal(type, failure.Type);
    }

    private static void AddHeaders(HttpContext context, (string Name, string Value)[] headers)
    {
        foreach (var (name, value) in headers)
        {
            context.Request.Headers[name] = value;
        }
    }
}
