using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using ImageClassifier.Tests.Harness;
using Microsoft.AspNetCore.Http;

namespace ImageClassifier.Tests.Integration;

/// <summary>
/// The SSRF guard through the running app with its default settings (no private networks):
/// every way of naming this machine, and every URL that is not plain http(s), is refused with
/// a 4xx Knative does not retry, and a server listening on the port those URLs name, on both
/// 127.0.0.1 and [::1], proves that none of them reached it.
/// </summary>
public sealed class RefusedUrlTests(RefusedUrlTests.Sentinel sentinel) : IClassFixture<RefusedUrlTests.Sentinel>
{
    public static TheoryData<string> LoopbackUrls => new()
    {
        "http://127.0.0.1:{port}/cat.png",
        "http://2130706433:{port}/cat.png",
        "http://0x7f000001:{port}/cat.png",
        "http://0177.0.0.1:{port}/cat.png",
        "http://127.1:{port}/cat.png",
        "http://0x7f.1:{port}/cat.png",
        "http://LOCALHOST:{port}/cat.png",
        "http://[::1]:{port}/cat.png",
        "http://[::ffff:127.0.0.1]:{port}/cat.png",
        "http://[::ffff:7f00:1]:{port}/cat.png",
        "http://[0:0:0:0:0:0:0:1]:{port}/cat.png",
        "http://0.0.0.0:{port}/cat.png",
        "http://0:{port}/cat.png",
        "HTTP://127.0.0.1:{port}/cat.png",
        "https://127.0.0.1:{port}/cat.png",
    };

    public static TheoryData<string> OtherRefusedUrls => new()
    {
        "http://user:secret@127.0.0.1:{port}/cat.png",
        "http://user@127.0.0.1:{port}/cat.png",
        "http://:secret@127.0.0.1:{port}/cat.png",
        "file:///etc/passwd",
        "file://127.0.0.1:{port}/etc/passwd",
        "ftp://127.0.0.1:{port}/cat.png",
        "gopher://127.0.0.1:{port}/_GET%20/cat.png",
        "javascript:alert(1)",
        "data:image/png;base64,iVBORw0KGgo=",
        "/cat.png",
        "cat.png",
        "//127.0.0.1:{port}/cat.png",
        "",
        " ",
        "http://",
        "http:///cat.png",
    };

    [Theory]
    [MemberData(nameof(LoopbackUrls))]
    [MemberData(nameof(OtherRefusedUrls))]
    public async Task Is_refused_as_plain_json_and_never_reaches_the_server(string template)
    {
        var problem = await sentinel.PostAsync(JsonContent.Create(new { url = sentinel.Fill(template) }));

        problem.AssertNonRetriedClientError();
        sentinel.AssertUntouched();
    }

    [Theory]
    [MemberData(nameof(LoopbackUrls))]
    [MemberData(nameof(OtherRefusedUrls))]
    public async Task Is_refused_as_a_structured_event_and_never_reaches_the_server(string template)
    {
        var url = System.Text.Json.JsonSerializer.Serialize(sentinel.Fill(template));
        var problem = await sentinel.PostAsync(new StringContent(
            $$$"""{"specversion":"1.0","id":"1","source":"urn:test","type":"dev.test.classify","data":{"url":{{{url}}}}}""",
            Encoding.UTF8, "application/cloudevents+json"));

        problem.AssertNonRetriedClientError();
        sentinel.AssertUntouched();
    }

    [Theory]
    [MemberData(nameof(LoopbackUrls))]
    public async Task A_loopback_address_is_refused_as_url_refused(string template)
    {
        var problem = await sentinel.PostAsync(JsonContent.Create(new { url = sentinel.Fill(template) }));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, problem.Status);
        Assert.Equal(ProblemReply.TypeBase + "url-refused", problem.Type);
        sentinel.AssertUntouched();
    }

    /// <summary>The app with default settings, and the servers the refused URLs point at.</summary>
    public sealed class Sentinel : IAsyncLifetime
    {
        private readonly FunctionApp _function = new(new Dictionary<string, string?> { ["FETCH_ALLOW_PRIVATE_NETWORKS"] = "false" });
        private LoopbackServer _server = null!;
        private TcpListener _ipv6 = null!;

        public async Task InitializeAsync()
        {
            // The IPv4 server's port may be taken on [::1] by some other process: then try another.
            for (var attempt = 1; ; attempt++)
            {
                _server = await LoopbackServer.StartAsync(context =>
                {
                    context.Response.StatusCode = StatusCodes.Status200OK;
                    return context.Response.Body.WriteAsync(TestImages.Read("chelsea.png")).AsTask();
                });
                _ipv6 = new TcpListener(IPAddress.IPv6Loopback, _server.Port);
                try
                {
                    _ipv6.Start();
                    break;
                }
                catch (SocketException) when (attempt < 5)
                {
                    _ipv6.Dispose();
                    await _server.DisposeAsync();
                }
            }

            await _function.InitializeAsync();
        }

        public async Task DisposeAsync()
        {
            _ipv6.Stop();
            _ipv6.Dispose();
            await _server.DisposeAsync();
            await _function.DisposeAsync();
        }

        public string Fill(string template) => template.Replace("{port}", _server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);

        public async Task<ProblemReply> PostAsync(HttpContent content)
        {
            using (content)
            {
                using var response = await _function.Client.PostAsync(new Uri("/", UriKind.Relative), content);
                return await ProblemReply.ReadAsync(response);
            }
        }

        public void AssertUntouched()
        {
            Assert.Equal(0, _server.RequestCount);
            Assert.False(_ipv6.Pending(), "a connection reached [::1]");
        }
    }
}
