using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using CloudNative.CloudEvents;
using CloudNative.CloudEvents.Http;
using ImageClassifier.Tests.Harness;
using Microsoft.AspNetCore.Http;

namespace ImageClassifier.Tests.Observability;

/// <summary>
/// W3C trace context in, through the image fetch, and out in the reply: the whole function
/// in-process, fetching from a loopback image host that records the traceparent it receives.
/// </summary>
public sealed class TracePropagationTests : IAsyncLifetime
{
    private const string TraceId = "0af7651916cd43dd8448eb211c80319c";
    private const string TraceParent = $"00-{TraceId}-b7ad6b7169203331-01";

    private readonly FunctionApp app = new();
    private readonly ConcurrentQueue<string?> seen = new();
    private LoopbackServer images = null!;
    private HttpClient client = null!;

    public async Task InitializeAsync()
    {
        var coffee = TestImages.Read("coffee.png");
        images = await LoopbackServer.StartAsync(context =>
        {
            seen.Enqueue(context.Request.Headers.TraceParent.ToString());
            context.Response.ContentType = "image/png";
            return context.Response.Body.WriteAsync(coffee).AsTask();
        });
        client = await app.CreateReadyClientAsync();
    }

    public async Task DisposeAsync()
    {
        await app.DisposeAsync();
        await images.DisposeAsync();
    }

    [Fact]
    public async Task The_http_requests_traceparent_reaches_the_image_fetch_and_the_reply()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/")
        {
            Content = JsonContent.Create(new { url = images.Url("/coffee.png").ToString() }),
        };
        request.Headers.Add("traceparent", TraceParent);

        using var response = await client.SendAsync(request);

        var reply = await Replies.ReadEventAsync(response);
        AssertContinues(Assert.Single(seen));
        AssertContinues(reply["traceparent"] as string);
    }

    [Fact]
    public async Task The_events_traceparent_extension_reaches_the_image_fetch_and_the_reply()
    {
        var body = $$$"""
            {"specversion": "1.0", "id": "t1", "source": "/tests", "type": "com.example.classify", "traceparent": "{{{TraceParent}}}",
             "data": {"url": "{{{images.Url("/coffee.png")}}}"}}
            """;

        using var response = await client.PostAsync("/", new StringContent(body, Encoding.UTF8, "application/cloudevents+json"));

        var reply = await Replies.ReadEventAsync(response);
        AssertContinues(Assert.Single(seen));
        AssertContinues(reply["traceparent"] as string);
    }

    [Fact]
    public async Task Without_a_traceparent_the_fetch_and_the_reply_share_a_new_trace()
    {
        using var response = await client.PostAsync("/", JsonContent.Create(new { url = images.Url("/coffee.png").ToString() }));

        var reply = await Replies.ReadEventAsync(response);
        var fetched = ActivityContext.Parse(Assert.Single(seen)!, null);
        var replied = ActivityContext.Parse((string)reply["traceparent"]!, null);
        Assert.Equal(fetched.TraceId, replied.TraceId);
        Assert.NotEqual(TraceId, replied.TraceId.ToHexString());
    }

    private static void AssertContinues(string? traceParent)
    {
        Assert.NotNull(traceParent);
        var context = ActivityContext.Parse(traceParent, null);
        Assert.Equal(TraceId, context.TraceId.ToHexString());
        // A span of the function's own, not the caller's span passed through.
        Assert.NotEqual("b7ad6b7169203331", context.SpanId.ToHexString());
    }
}
