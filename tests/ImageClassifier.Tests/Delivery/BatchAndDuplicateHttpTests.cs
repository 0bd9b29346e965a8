using System.Net;
using System.Net.Mime;
using System.Text;
using System.Text.Json;
using CloudNative.CloudEvents;
using CloudNative.CloudEvents.Http;
using CloudNative.CloudEvents.SystemTextJson;
using ImageClassifier.Failures;
using ImageClassifier.Tests.Harness;
using ImageClassifier.Tests.Harness.Fakes;

namespace ImageClassifier.Tests.Delivery;

/// <summary>CloudEvents batches and redelivered events through the whole host, with fakes behind it.</summary>
public sealed class BatchAndDuplicateHttpTests : FakedFunctionTest
{
    private const string DogUrl = "https://example.com/dog.jpg";
    private const string MissingUrl = "https://example.com/missing.jpg";

    private static readonly JsonEventFormatter Formatter = new();


    [Fact]
    public async Task A_mixed_batch_answers_each_event_in_order_and_fails_only_the_bad_ones()
    {
        Function.Fetcher.FailuresByUrl[new Uri(MissingUrl)] =
            Problems.ImageNotFound.Failure("The image host has no image at this URL.");

        using var response = await PostBatchAsync(
            Event("a", "com.example.classify", $$"""{"url": "{{CatUrl}}"}"""),
            """{"specversion": "1.0", "source": "/tests", "type": "com.example.classify", "data": {"url": "https://example.com/x.jpg"}}""",
            Event("no-url", "com.example.classify", """{"topK": 2}"""),
            Event("a", "com.example.classify", $$"""{"url": "{{CatUrl}}"}"""),
            Event("loop", FakedFunctionApp.ReplyType, """{"predictions": []}"""),
            Event("missing", "com.example.classify", $$"""{"url": "{{MissingUrl}}"}"""),
            Event("b", "com.example.classify", $$"""{"url": "{{DogUrl}}", "topK": 1}"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/cloudevents-batch+json", response.Content.Headers.ContentType?.MediaType);
        var replies = await ReadBatchAsync(response);
        Assert.Equal(6, replies.Count);

        AssertReply(replies[0], CatUrl);
        AssertFailed(replies[1], "invalid-cloudevent", 400);
        AssertFailed(replies[2], "invalid-request", 400);
        AssertReply(replies[3], CatUrl);
        AssertFailed(replies[4], "image-not-found", 422);
        AssertReply(replies[5], DogUrl);
        Assert.Equal(1, Data(replies[5]).GetProperty("predictions").GetArrayLength());

        // The duplicate is the same reply, made once.
        Assert.Equal(replies[0].Id, replies[3].Id);
        Assert.Equal([CatUrl, DogUrl, MissingUrl], Function.Fetcher.Requested.Select(url => url.ToString()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_batch_of_only_the_functions_own_replies_is_acknowledged_without_a_body()
    {
        using var response = await PostBatchAsync(
            Event("r1", FakedFunctionApp.ReplyType, """{"predictions": []}"""),
            Event("r2", FakedFunctionApp.ReplyType + ".failed", """{"status": 422}"""));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        Assert.Empty(Function.Fetcher.Requested);
    }

    [Fact]
    public async Task A_batch_with_invalid_UTF_8_in_a_string_is_400_not_a_500()
    {
        // Found by the mutation property test: invalid UTF-8 passes JsonDocument.Parse and throws when read.
        var body = Encoding.UTF8.GetBytes("[{\"specversion\": \"1.0\", \"id\": \"X\", \"source\": \"/s\", \"type\": \"t\"}]");
        body[body.AsSpan().IndexOf((byte)'X')] = 0xC9;
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new("application/cloudevents-batch+json");

        using var response = await Client.PostAsync("/", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_batch_over_MAX_BATCH_EVENTS_is_413_and_nothing_runs()
    {
        var events = Enumerable.Range(0, 33).Select(i => Event($"e{i}", "com.example.classify", $$"""{"url": "{{CatUrl}}"}""")).ToArray();

        using var response = await PostBatchAsync(events);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("too-many-events", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(Function.Fetcher.Requested);
    }

    [Fact]
    public async Task A_redelivered_event_gets_the_same_reply_in_its_own_mode_without_fetching_again()
    {
        var cloudEvent = new CloudEvent
        {
            Id = "redelivered",
            Source = new Uri("/tests", UriKind.Relative),
            Type = "com.example.classify",
            DataContentType = "application/json",
            Data = JsonDocument.Parse($$"""{"url": "{{CatUrl}}"}""").RootElement,
        };

        using var binary = await Client.PostAsync("/", cloudEvent.ToHttpContent(ContentMode.Binary, Formatter));
        using var structured = await Client.PostAsync("/", cloudEvent.ToHttpContent(ContentMode.Structured, Formatter));

        Assert.True(binary.Headers.Contains("ce-id"));
        Assert.Equal("application/cloudevents+json", structured.Content.Headers.ContentType?.MediaType);
        var first = await binary.ToCloudEventAsync(Formatter);
        var second = await structured.ToCloudEventAsync(Formatter);
        Assert.Equal(first.Id, second.Id);
        Assert.Equal(first.Time, second.Time);
        Assert.Equal(Data(first).GetRawText(), Data(second).GetRawText());
        Assert.Single(Function.Fetcher.Requested);
    }

    [Fact]
    public async Task A_second_caller_reusing_an_events_source_and_id_for_another_image_never_gets_the_first_callers_reply()
    {
        using var counters = new CounterRecorder(Function.Services);
        const string Eagle = "https://images.example/orders/bucket/eagle.jpg?X-Amz-Signature=secret";
        const string Dog = "https://attacker.example/dog.jpg";

        using var real = await PostEventAsync("X", Eagle);
        using var other = await PostEventAsync("X", Dog);
        using var redelivery = await PostEventAsync("X", Eagle);

        var realReply = await real.ToCloudEventAsync(Formatter);
        var otherReply = await other.ToCloudEventAsync(Formatter);
        var redeliveredReply = await redelivery.ToCloudEventAsync(Formatter);
        Assert.Equal(Dog, Data(otherReply).GetProperty("url").GetString());
        Assert.DoesNotContain("eagle", Data(otherReply).GetRawText(), StringComparison.Ordinal);
        Assert.NotEqual(realReply.Id, otherReply.Id);
        Assert.Equal(realReply.Id, redeliveredReply.Id);
        Assert.Equal([new Uri(Eagle), new Uri(Dog)], Function.Fetcher.Requested);
        Assert.Equal(1, counters.Total("imageclassifier.requests.duplicate_conflicts"));
        Assert.Equal(1, counters.Total("imageclassifier.requests.duplicate"));
    }

    [Fact]
    public async Task The_same_json_request_twice_is_classified_twice()
    {
        using var first = await Client.PostAsync("/", new StringContent($$"""{"url": "{{CatUrl}}"}""", Encoding.UTF8, "application/json"));
        using var second = await Client.PostAsync("/", new StringContent($$"""{"url": "{{CatUrl}}"}""", Encoding.UTF8, "application/json"));

        Assert.NotEqual(first.Headers.GetValues("ce-id").Single(), second.Headers.GetValues("ce-id").Single());
        Assert.Equal(2, Function.Fetcher.Requested.Count);
    }

    private static string Event(string id, string type, string data) =>
        $$"""{"specversion": "1.0", "id": "{{id}}", "source": "/tests", "type": "{{type}}", "datacontenttype": "application/json", "data": {{data}}}""";

    private Task<HttpResponseMessage> PostEventAsync(string id, string url) =>
        Client.PostAsync("/", new StringContent(Event(id, "com.example.classify", "{\"url\": \"" + url + "\"}"), Encoding.UTF8, "application/cloudevents+json"));

    private Task<HttpResponseMessage> PostBatchAsync(params string[] events) =>
        Client.PostAsync("/", new StringContent($"[{string.Join(',', events)}]", Encoding.UTF8, "application/cloudevents-batch+json"));

    private static async Task<IReadOnlyList<CloudEvent>> ReadBatchAsync(HttpResponseMessage response) =>
        Formatter.DecodeBatchModeMessage(
            await response.Content.ReadAsByteArrayAsync(),
            new ContentType(response.Content.Headers.ContentType!.ToString()),
            null);

    private static void AssertReply(CloudEvent reply, string url)
    {
        Assert.Equal(FakedFunctionApp.ReplyType, reply.Type);
        Assert.Equal(url, reply.Subject);
        Assert.Equal(FakeClassifier.FakeModel.Name, Data(reply).GetProperty("model").GetProperty("name").GetString());
    }

    private static void AssertFailed(CloudEvent reply, string problem, int status)
    {
        Assert.Equal(FakedFunctionApp.ReplyType + ".failed", reply.Type);
        Assert.Equal(new Uri(FakedFunctionApp.ReplySource), reply.Source);
        Assert.Equal("application/problem+json", reply.DataContentType);
        var data = Data(reply);
        Assert.Equal("urn:image-classifier:problem:" + problem, data.GetProperty("type").GetString());
        Assert.Equal(status, data.GetProperty("status").GetInt32());
    }

    private static JsonElement Data(CloudEvent reply) => reply.Data switch
    {
        JsonElement element => element,
        byte[] bytes => JsonDocument.Parse(bytes).RootElement,
        string text => JsonDocument.Parse(text).RootElement,
        var other => throw new InvalidOperationException($"Unexpected data {other?.GetType()}"),
    };
}
