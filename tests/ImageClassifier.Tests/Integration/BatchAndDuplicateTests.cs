using System.Net;
using System.Net.Mime;
using System.Text;
using CloudNative.CloudEvents;
using CloudNative.CloudEvents.Http;
using ImageClassifier.Tests.Harness;

namespace ImageClassifier.Tests.Integration;

/// <summary>Batches, redeliveries and looped replies end to end: the real model, images from a loopback host.</summary>
public sealed class BatchAndDuplicateTests : IAsyncLifetime
{
    private readonly FunctionApp app = new();
    private LoopbackServer images = null!;
    private HttpClient client = null!;

    public async Task InitializeAsync()
    {
        images = await LoopbackServer.ServingAsync("chelsea.png", "coffee.png");
        client = await app.CreateReadyClientAsync();
    }

    public async Task DisposeAsync()
    {
        await app.DisposeAsync();
        await images.DisposeAsync();
    }

    [Fact]
    public async Task A_batch_of_good_bad_duplicate_and_looped_events_answers_each_in_order_fetching_each_image_once()
    {
        var coffee = images.Url("/coffee.png");
        var cat = images.Url("/chelsea.png");
        var batch = $$$"""
            [ {{{Event("1", "dev.knative.samples.image.classify", coffee)}}},
              {{{Event("2", "dev.knative.samples.image.classify", images.Url("/missing.png"))}}},
              {{{Event("1", "dev.knative.samples.image.classify", coffee)}}},
              {{{Event("3", "io.kserve.inference.response", coffee)}}},
              {"specversion": "1.0", "id": "4", "source": "/tests", "type": "dev.knative.samples.image.classify", "data": {"url": "not a url"}},
              {{{Event("5", "dev.knative.samples.image.classify", cat)}}} ]
            """;

        using var response = await client.PostAsync(new Uri("/", UriKind.Relative), new StringContent(batch, Encoding.UTF8, "application/cloudevents-batch+json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var replies = Replies.Formatter.DecodeBatchModeMessage(
            await response.Content.ReadAsByteArrayAsync(), new ContentType(response.Content.Headers.ContentType!.ToString()), null);
        Assert.Equal(
            ["io.kserve.inference.response", "io.kserve.inference.response.failed", "io.kserve.inference.response",
             "io.kserve.inference.response.failed", "io.kserve.inference.response"],
            replies.Select(reply => reply.Type));
        Assert.Equal("espresso", Replies.Labels(Replies.DataOf(replies[0]))[0]);
        Assert.Equal(replies[0].Id, replies[2].Id);
        Assert.Contains("image-not-found", Replies.DataOf(replies[1]).GetProperty("type").GetString(), StringComparison.Ordinal);
        Assert.Contains("invalid-url", Replies.DataOf(replies[3]).GetProperty("type").GetString(), StringComparison.Ordinal);
        Assert.Contains(Replies.Labels(Replies.DataOf(replies[4]))[0], new[] { "Egyptian cat", "tiger cat", "tabby" });
        Assert.Equal(1, images.Hits("/coffee.png"));
        Assert.Equal(1, images.Hits("/chelsea.png"));
    }

    [Fact]
    public async Task A_redelivered_event_is_answered_from_the_cache_and_the_image_host_sees_one_fetch()
    {
        var request = Replies.RequestEvent(new { url = images.Url("/coffee.png").ToString() });

        using var first = await client.PostAsync(new Uri("/", UriKind.Relative), request.ToHttpContent(ContentMode.Binary, Replies.Formatter));
        using var again = await client.PostAsync(new Uri("/", UriKind.Relative), request.ToHttpContent(ContentMode.Binary, Replies.Formatter));

        var firstReply = await Replies.ReadEventAsync(first);
        var secondReply = await Replies.ReadEventAsync(again);
        Assert.Equal(firstReply.Id, secondReply.Id);
        Assert.Equal(Replies.DataOf(firstReply).GetRawText(), Replies.DataOf(secondReply).GetRawText());
        Assert.Equal(1, images.Hits("/coffee.png"));
    }

    [Fact]
    public async Task An_event_of_the_reply_type_is_acknowledged_with_202_and_nothing_is_fetched()
    {
        var looped = Replies.RequestEvent(new { url = images.Url("/coffee.png").ToString() }, type: "io.kserve.inference.response");

        using var response = await client.PostAsync(new Uri("/", UriKind.Relative), looped.ToHttpContent(ContentMode.Binary, Replies.Formatter));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(0, images.RequestCount);
    }

    private static string Event(string id, string type, Uri url) =>
        $$$"""{"specversion": "1.0", "id": "{{{id}}}", "source": "/tests", "type": "{{{type}}}", "data": {"url": "{{{url}}}"}}""";
}
