using System.Net.Mime;
using System.Text.Json;
using CloudNative.CloudEvents;
using CloudNative.CloudEvents.Http;
using CloudNative.CloudEvents.SystemTextJson;
using ImageClassifier.Delivery;
using ImageClassifier.Edge;
using ImageClassifier.Tests.Harness;
using Microsoft.AspNetCore.Http;

using Microsoft.Extensions.Options;

namespace ImageClassifier.Tests.Edge;

/// <summary>Writes events and reads them back with the SDK's own decoding, so both modes follow the spec, not just this code.</summary>
public class CloudEventHttpBindingWriteTests
{
    private static readonly DateTimeOffset Time = new(2024, 5, 1, 12, 0, 0, TimeSpan.Zero);

    private static readonly CloudEventHttpBinding binding = new(new AttributeLimits(Options.Create(new EdgeOptions())));

    [Fact]
    public async Task Binary_mode_round_trips_through_the_sdk()
    {
        var context = new DefaultHttpContext { Response = { Body = new MemoryStream() } };

        await binding.WriteAsync(Reply(), ContentMode.Binary, context.Response, CancellationToken.None);

        Assert.Equal("1.0", context.Response.Headers["ce-specversion"]);
        Assert.Equal("application/json", context.Response.ContentType);
        Assert.False(context.Response.Headers.ContainsKey("ce-datacontenttype"));
        var decoded = await ToHttpResponseMessage(context).ToCloudEventAsync(new JsonEventFormatter());
        AssertSameReply(decoded);
    }

    [Fact]
    public async Task Binary_mode_percent_encodes_header_values()
    {
        var context = new DefaultHttpContext { Response = { Body = new MemoryStream() } };
        var reply = Reply();
        reply.Subject = "https://example.com/café.jpg";

        await binding.WriteAsync(reply, ContentMode.Binary, context.Response, CancellationToken.None);

        Assert.Equal("https://example.com/caf%C3%A9.jpg", context.Response.Headers["ce-subject"]);
    }

    [Fact]
    public async Task Structured_mode_round_trips_through_the_sdk()
    {
        var context = new DefaultHttpContext { Response = { Body = new MemoryStream() } };

        await binding.WriteAsync(Reply(), ContentMode.Structured, context.Response, CancellationToken.None);

        Assert.StartsWith("application/cloudevents+json", context.Response.ContentType, StringComparison.Ordinal);
        Assert.False(context.Response.Headers.ContainsKey("ce-id"));
        Assert.Equal(HttpContexts.ResponseBody(context).Length, context.Response.ContentLength);
        var decoded = new JsonEventFormatter().DecodeStructuredModeMessage(
            HttpContexts.ResponseBody(context), new ContentType(context.Response.ContentType!), null);
        AssertSameReply(decoded);
    }

    private static CloudEvent Reply() => new(CloudEventsSpecVersion.V1_0)
    {
        Id = "reply-1",
        Source = new Uri("io.kserve.inference.image-classifier", UriKind.Relative),
        Type = "io.kserve.inference.response",
        Subject = "https://example.com/cat.jpg",
        Time = Time,
        DataContentType = "application/json",
        Data = new ReplyData(
            "https://example.com/cat.jpg",
            new ReplyModel("mobilenetv2-12-int8", "3", "cc028fe6"),
            [new ReplyPrediction(285, "n02124075", "Egyptian cat", 0.548f)]),
    };

    private static void AssertSameReply(CloudEvent decoded)
    {
        Assert.Equal("reply-1", decoded.Id);
        Assert.Equal("io.kserve.inference.image-classifier", decoded.Source!.OriginalString);
        Assert.Equal("io.kserve.inference.response", decoded.Type);
        Assert.Equal("https://example.com/cat.jpg", decoded.Subject);
        Assert.Equal(Time, decoded.Time);
        Assert.StartsWith("application/json", decoded.DataContentType, StringComparison.Ordinal);
        var data = Assert.IsType<JsonElement>(decoded.Data);
        Assert.Equal("https://example.com/cat.jpg", data.GetProperty("url").GetString());
        Assert.Equal("mobilenetv2-12-int8", data.GetProperty("model").GetProperty("name").GetString());
        Assert.Equal("cc028fe6", data.GetProperty("model").GetProperty("sha256").GetString());
        Assert.Equal("3", data.GetProperty("model").GetProperty("version").GetString());
        var prediction = Assert.Single(data.GetProperty("predictions").EnumerateArray());
        Assert.Equal(285, prediction.GetProperty("index").GetInt32());
        Assert.Equal("n02124075", prediction.GetProperty("synset").GetString());
        Assert.Equal("Egyptian cat", prediction.GetProperty("label").GetString());
        Assert.Equal("0.548", prediction.GetProperty("probability").GetRawText());
    }

    private static HttpResponseMessage ToHttpResponseMessage(HttpContext context)
    {
        var message = new HttpResponseMessage((System.Net.HttpStatusCode)context.Response.StatusCode)
        {
            Content = new ByteArrayContent(HttpContexts.ResponseBody(context)),
        };
        foreach (var (name, values) in context.Response.Headers)
        {
            if (!message.Headers.TryAddWithoutValidation(name, (IEnumerable<string>)values))
            {
                message.Content.Headers.TryAddWithoutValidation(name, (IEnumerable<string>)values);
            }
        }

        return message;
    }
}
