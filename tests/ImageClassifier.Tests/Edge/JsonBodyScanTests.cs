using System.Text;
using ImageClassifier.Delivery;
using ImageClassifier.Edge;
using ImageClassifier.Failures;
using ImageClassifier.Tests.Harness;
using Microsoft.Extensions.DependencyInjection;

namespace ImageClassifier.Tests.Edge;

/// <summary>
/// POST /'s JSON bodies refused by the scan before they are parsed, with the shipped defaults:
/// the shapes that once cost a parser eight times their size, and the events' own limits.
/// </summary>
public sealed class JsonBodyScanTests : IDisposable
{
    private const int TwentyMegabytes = 20_000_000;

    private readonly ServiceProvider services = EdgeServices.Build();
    private readonly CounterRecorder counters;

    public JsonBodyScanTests() => counters = new CounterRecorder(services);

    private RequestReader Reader => services.Reader();

    [Fact]
    public async Task A_20_MB_structured_event_whose_data_is_padded_with_empty_arrays_beside_a_url_is_413_json_too_complex()
    {
        var failure = await Assert.ThrowsAsync<ClassificationException>(() =>
            Reader.ReadAsync(HttpContexts.Request("application/cloudevents+json", HostileJson.PaddedEvent(TwentyMegabytes)).Request, CancellationToken.None));

        Assert.Equal(Problems.JsonTooComplex, failure.Type);
        Assert.Equal(1, counters.Total("imageclassifier.requests.json_refused", JsonShapeScan.Reasons.ArrayValues));
        Assert.Equal(0, services.Budget().Reserved);
    }

    [Fact]
    public async Task A_20_MB_batch_of_empty_arrays_is_413_too_many_events_before_it_is_parsed()
    {
        var failure = await Assert.ThrowsAsync<ClassificationException>(() =>
            Reader.ReadBatchAsync(HttpContexts.Request("application/cloudevents-batch+json", HostileJson.EmptyArraysBatch(TwentyMegabytes)).Request, CancellationToken.None));

        Assert.Equal(Problems.TooManyEvents, failure.Type);
        Assert.Equal(1, counters.Total("imageclassifier.requests.json_refused", CloudEventShape.Reasons.Events));
        Assert.Equal(0, services.Budget().Reserved);
    }

    [Fact]
    public async Task An_event_over_64_KiB_besides_its_image_is_400_cloudevent_too_large_with_its_json_data_counted()
    {
        var json = $$$"""{"specversion":"1.0","id":"e","source":"/s","type":"com.example.classify","data":{"url":"https://example.com/cat.jpg","pad":"{{{new string('x', AttributeLimits.MaxEnvelopeBytes)}}}"}}""";

        var failure = await Assert.ThrowsAsync<ClassificationException>(() =>
            Reader.ReadAsync(HttpContexts.Request("application/cloudevents+json", json).Request, CancellationToken.None));

        Assert.Equal(Problems.CloudEventTooLarge, failure.Type);
        Assert.Equal(1, counters.Total("imageclassifier.requests.json_refused", CloudEventShape.Reasons.Envelope));
    }

    [Fact]
    public async Task A_batch_with_one_event_over_64_KiB_besides_its_image_is_400_as_a_whole()
    {
        var extensions = string.Join(',', Enumerable.Range(0, 32).Select(i => $"\"ext{i}\":\"{new string('x', 2048)}\""));
        var batch = $$$"""[{"specversion":"1.0","id":"a","source":"/s","type":"com.example.classify","data":{"url":"https://example.com/cat.jpg"}},{"specversion":"1.0","id":"b","source":"/s","type":"t",{{{extensions}}}}]""";

        var failure = await Assert.ThrowsAsync<ClassificationException>(() =>
            Reader.ReadBatchAsync(HttpContexts.Request("application/cloudevents-batch+json", batch).Request, CancellationToken.None));

        Assert.Equal(Problems.CloudEventTooLarge, failure.Type);
    }

    [Fact]
    public async Task An_event_within_64_KiB_besides_its_image_is_read_however_large_its_image()
    {
        var image = Convert.ToBase64String(TestImages.Read("coffee.png"));
        var json = $$"""{"specversion":"1.0","id":"e","source":"/s","type":"com.example.classify","datacontenttype":"image/png","ext":"{{new string('x', 1000)}}","data_base64":"{{image}}"}""";

        using var incoming = await Reader.ReadAsync(HttpContexts.Request("application/cloudevents+json", json).Request, CancellationToken.None);

        Assert.True(image.Length > EdgeOptions.DefaultMaxRequestBytes, $"{image.Length} bytes of base64");
        Assert.NotNull(incoming.Request?.Image);
    }

    [Fact]
    public async Task Plain_json_nested_too_deep_is_413_json_too_complex()
    {
        var json = new string('[', JsonShapeScan.MaxDepth + 1) + new string(']', JsonShapeScan.MaxDepth + 1);

        var failure = await Assert.ThrowsAsync<ClassificationException>(() =>
            Reader.ReadAsync(HttpContexts.Request("application/json", json).Request, CancellationToken.None));

        Assert.Equal(Problems.JsonTooComplex, failure.Type);
        Assert.Equal(1, counters.Total("imageclassifier.requests.json_refused", JsonShapeScan.Reasons.Depth));
    }

    [Fact]
    public async Task What_parsing_an_event_allocates_is_paid_from_the_memory_budget_while_the_event_is_held()
    {
        var zeros = string.Join(',', Enumerable.Repeat("0", 1000));
        var json = Encoding.UTF8.GetBytes(
            $$$"""{"specversion":"1.0","id":"e","source":"/s","type":"com.example.classify","data":{"url":"https://example.com/cat.jpg","pad":[{{{zeros}}}]}}""");

        using var incoming = await Reader.ReadAsync(HttpContexts.Request("application/cloudevents+json", json).Request, CancellationToken.None);

        // 1,000 zeros and a dozen other tokens, at 36 bytes each, besides the body and what its data may decode to.
        Assert.True(services.Budget().Reserved >= (1000 * JsonShapeScan.BytesPerToken) + json.Length + (json.Length * 3 / 4), $"{services.Budget().Reserved} bytes reserved");
    }

    public void Dispose()
    {
        counters.Dispose();
        services.Dispose();
    }
}
