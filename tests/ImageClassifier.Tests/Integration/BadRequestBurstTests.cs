using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using ImageClassifier.Tests.Harness;
using ImageClassifier.Tests.Imaging;
using Microsoft.Extensions.Logging;

namespace ImageClassifier.Tests.Integration;

/// <summary>
/// Several hundred bad requests of every kind at once, against the app with its default
/// settings but a queue that admits the whole burst (shedding what is beyond the default queue
/// is right, and AdmissionControlTests cover it): every one is answered with a 4xx problem,
/// the process stays live and ready, and nothing is logged as an error or an unhandled exception.
/// </summary>
[Collection(ProcessWideTests.Name)]
public sealed class BadRequestBurstTests
{
    private const int Requests = 400;

    private static readonly Func<HttpRequestMessage>[] BadRequests =
    [
        () => Json("""{"url": """),
        () => Json("""{"topK": 3}"""),
        () => Json("""{"url": "/cat.png"}"""),
        () => Json("""{"url": ""}"""),
        () => Json("""{"url": "http://127.0.0.1:1/cat.png"}"""),
        () => Json("""{"url": "http://2130706433:1/cat.png"}"""),
        () => Json("""{"url": "http://[::1]:1/cat.png"}"""),
        () => Json("""{"url": "http://0.0.0.0:1/cat.png"}"""),
        () => Json("""{"url": "http://user:secret@127.0.0.1:1/cat.png"}"""),
        () => Json("""{"url": "file:///etc/passwd"}"""),
        () => Json("""{"url": "gopher://127.0.0.1:1/"}"""),
        () => Json("""{"url": "http://127.0.0.1:1/cat.png", "topK": 0}"""),
        () => Json("""{"url": "http://127.0.0.1:1/cat.png", "topK": "5"}"""),
        () => Json("[1, 2, 3]"),
        () => Json(new string('[', 10_000)),
        () => Json($$"""{"url": "http://127.0.0.1:1/{{new string('a', 70_000)}}"}"""),
        () => Body("cat.png", "text/plain"),
        () => Body("{}", "application/cloudevents-batch+json"),
        () => Body("{}", "application/cloudevents+avro"),
        () => Body("""{"specversion":"0.3","id":"1","source":"urn:t","type":"t","data":{"url":"http://127.0.0.1:1/"}}""", "application/cloudevents+json"),
        () => Body("""{"specversion":"1.0","id":"1","source":"urn:t","type":"t","data":{},"data_base64":"AA=="}""", "application/cloudevents+json"),
        () => Body("""{"specversion":"1.0","source":"urn:t","type":"t","data":{"url":"http://127.0.0.1:1/"}}""", "application/cloudevents+json"),
        () => Body("""{"specversion":"1.0","id":"1","source":"urn:t","type":"t","datacontenttype":"image/png","data_base64":"!!"}""", "application/cloudevents+json"),
        () => Binary("""{"url":"http://127.0.0.1:1/cat.png"}""", "application/json", ("ce-specversion", "1.0"), ("ce-source", "urn:t"), ("ce-type", "t")),
        () => Binary("""{"url":"http://127.0.0.1:1/cat.png"}""", "application/json", ("ce-specversion", "2.0"), ("ce-id", "1"), ("ce-source", "urn:t"), ("ce-type", "t")),
        () => Binary("not json", "application/json", ("ce-specversion", "1.0"), ("ce-id", "1"), ("ce-source", "urn:t"), ("ce-type", "t")),
        () => Binary("x", "text/plain", ("ce-specversion", "1.0"), ("ce-id", "1"), ("ce-source", "urn:t"), ("ce-type", "t")),
        () => Image(HandMadePng.WithHeader(20_000, 20_000), "image/png"),
        () => Image(HandMadePng.WithHeader(1, 500_000_000), "image/png"),
        () => Image(TestImages.Read("truncated.jpg"), "image/jpeg"),
        () => Image([.. Enumerable.Range(0, 2048).Select(i => (byte)(i * 31))], "image/webp"),
        () => Image([], "image/png"),
    ];

    [Fact]
    public async Task Every_answer_is_a_4xx_and_the_process_stays_healthy_and_ready()
    {
        await using var function = await FunctionApp.StartAsync(new Dictionary<string, string?>
        {
            ["FETCH_ALLOW_PRIVATE_NETWORKS"] = "false",
            ["REQUEST_QUEUE_LIMIT"] = Requests.ToString(CultureInfo.InvariantCulture),
        });
        var loggedBefore = function.Logs.Entries.Count;

        var answers = await Task.WhenAll(Enumerable.Range(0, Requests).Select(async i =>
        {
            using var request = BadRequests[i % BadRequests.Length]();
            using var response = await function.Client.SendAsync(request);
            return (Index: i % BadRequests.Length, Reply: await ProblemReply.ReadAsync(response));
        }));

        Assert.All(answers, answer => Assert.True(
            (int)answer.Reply.Status is >= 400 and < 500 && answer.Reply.ContentType == "application/problem+json",
            $"request {answer.Index}: {answer.Reply}"));
        Assert.Equal(HttpStatusCode.OK, (await function.Client.GetAsync(new Uri("/healthz", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await function.Client.GetAsync(new Uri("/readyz", UriKind.Relative))).StatusCode);
        var alarming = function.Logs.Entries.Skip(loggedBefore).Where(entry => entry.Level >= LogLevel.Error
            || entry.Message.Contains("unhandled", StringComparison.OrdinalIgnoreCase)).ToList();
        Assert.True(alarming.Count == 0, string.Join(Environment.NewLine, alarming.Take(3)));
        Assert.Contains(function.Logs.Entries, entry => entry.Message.Contains("url-refused", StringComparison.Ordinal));
    }

    private static HttpRequestMessage Json(string body) => Body(body, "application/json");

    private static HttpRequestMessage Body(string body, string contentType) =>
        new(HttpMethod.Post, new Uri("/", UriKind.Relative)) { Content = new StringContent(body, Encoding.UTF8, MediaTypeHeaderValue.Parse(contentType)) };

    private static HttpRequestMessage Binary(string body, string contentType, params (string Name, string Value)[] headers)
    {
        var request = Body(body, contentType);
        foreach (var (name, value) in headers)
        {
            request.Headers.Add(name, value);
        }

        return request;
    }

    private static HttpRequestMessage Image(byte[] bytes, string contentType)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return new HttpRequestMessage(HttpMethod.Post, new Uri("/", UriKind.Relative)) { Content = content };
    }
}
