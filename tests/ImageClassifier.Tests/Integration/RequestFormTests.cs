using System.Net.Http.Headers;
using System.Net.Http.Json;
using CloudNative.CloudEvents;
using CloudNative.CloudEvents.Http;
using ImageClassifier.Tests.Harness;

namespace ImageClassifier.Tests.Integration;

/// <summary>Every request form of the README's Requests section, end to end, images from a loopback host.</summary>
public sealed class RequestFormTests : IAsyncLifetime
{
    private readonly FunctionApp _app = new();
    private LoopbackServer _images = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _images = await LoopbackServer.ServingAsync("chelsea.png", "coffee.png");
        _client = await _app.CreateReadyClientAsync();
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _images.DisposeAsync();
    }

    [Fact]
    public async Task Binary_event_naming_a_url_gets_a_binary_reply()
    {
        var url = _images.Url("/coffee.png");
        var request = Replies.RequestEvent(new { url = url.ToString(), topK = 3 });

        using var response = await PostAsync(request.ToHttpContent(ContentMode.Binary, Replies.Formatter));

        Assert.True(response.Headers.Contains("ce-specversion"));
        var reply = await Replies.ReadEventAsync(response);
        AssertReply(reply, request.Id, url, expectedTopK: 3, expectedTop1: "espresso");
    }

    [Fact]
    public async Task Structured_event_naming_a_url_gets_a_structured_reply()
    {
        var url = _images.Url("/coffee.png");
        var request = Replies.RequestEvent(new { url = url.ToString() });

        using var response = await PostAsync(request.ToHttpContent(ContentMode.Structured, Replies.Formatter));

        Assert.Equal("application/cloudevents+json", response.Content.Headers.ContentType?.MediaType);
        var reply = await Replies.ReadEventAsync(response);
        AssertReply(reply, request.Id, url, expectedTopK: 5, expectedTop1: "espresso");
    }

    [Fact]
    public async Task Binary_event_carrying_image_bytes_gets_a_binary_reply()
    {
        var request = Replies.RequestEvent(TestImages.Read("coffee.png"));
        request.DataContentType = "image/png";

        using var response = await PostAsync(request.ToHttpContent(ContentMode.Binary, Replies.Formatter));

        Assert.True(response.Headers.Contains("ce-specversion"));
        AssertReply(await Replies.ReadEventAsync(response), request.Id, url: null, expectedTopK: 5, expectedTop1: "espresso");
    }

    [Fact]
    public async Task Structured_event_carrying_base64_image_bytes_gets_a_structured_reply()
    {
        var request = Replies.RequestEvent(TestImages.Read("coffee.png"));
        request.DataContentType = "image/png";

        using var response = await PostAsync(request.ToHttpContent(ContentMode.Structured, Replies.Formatter));

        Assert.Equal("application/cloudevents+json", response.Content.Headers.ContentType?.MediaType);
        AssertReply(await Replies.ReadEventAsync(response), request.Id, url: null, expectedTopK: 5, expectedTop1: "espresso");
    }

    [Fact]
    public async Task Plain_json_gets_a_binary_reply()
    {
        var url = _images.Url("/coffee.png");

        using var response = await PostAsync(JsonContent.Create(new { url = url.ToString(), topK = 2 }));

        Assert.True(response.Headers.Contains("ce-specversion"));
        AssertReply(await Replies.ReadEventAsync(response), requestId: null, url, expectedTopK: 2, expectedTop1: "espresso");
    }

    [Fact]
    public async Task Image_bytes_get_a_binary_reply()
    {
        using var response = await PostAsync(Replies.ImageContent("coffee.png"));

        Assert.True(response.Headers.Contains("ce-specversion"));
        AssertReply(await Replies.ReadEventAsync(response), requestId: null, url: null, expectedTopK: 5, expectedTop1: "espresso");
    }

    [Fact]
    public async Task Two_different_images_in_a_row_each_get_their_own_answer()
    {
        using var coffee = await PostAsync(Replies.ImageContent("coffee.png"));
        using var cat = await PostAsync(JsonContent.Create(new { url = _images.Url("/chelsea.png").ToString() }));

        Assert.Equal("espresso", Replies.Labels(Replies.DataOf(await Replies.ReadEventAsync(coffee)))[0]);
        Assert.Contains(Replies.Labels(Replies.DataOf(await Replies.ReadEventAsync(cat)))[0], new[] { "Egyptian cat", "tiger cat", "tabby" });
    }

    private async Task<HttpResponseMessage> PostAsync(HttpContent content)
    {
        using (content)
        {
            return await _client.PostAsync(new Uri("/", UriKind.Relative), content);
        }
    }

    private static void AssertReply(CloudEvent reply, string? requestId, Uri? url, int expectedTopK, string expectedTop1)
    {
        Assert.Equal(CloudEventsSpecVersion.V1_0, reply.SpecVersion);
        Assert.Equal("io.kserve.inference.response", reply.Type);
        Assert.Equal(new Uri("io.kserve.inference.image-classifier", UriKind.RelativeOrAbsolute), reply.Source);
        Assert.False(string.IsNullOrEmpty(reply.Id));
        Assert.NotEqual(requestId, reply.Id);
        Assert.NotNull(reply.Time);
        Assert.Equal("application/json", new MediaTypeHeaderValue(reply.DataContentType!).MediaType);
        Assert.Equal(url?.ToString(), reply.Subject);

        var data = Replies.DataOf(reply);
        var predictions = data.GetProperty("predictions").EnumerateArray().ToArray();
        Assert.Equal(expectedTopK, predictions.Length);
        Assert.Equal(expectedTop1, predictions[0].GetProperty("label").GetString());
        var probabilities = predictions.Select(p => p.GetProperty("probability").GetSingle()).ToArray();
        Assert.Equal(probabilities.OrderDescending(), probabilities);
        Assert.All(predictions, p => Assert.Matches("^n[0-9]{8}$", p.GetProperty("synset").GetString()));
    }
}
