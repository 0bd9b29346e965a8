using System.Globalization;
using System.Net;
using System.Net.Mime;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using ImageClassifier.Failures;
using ImageClassifier.Tests.Harness;

namespace ImageClassifier.Tests.Hosting;

/// <summary>
/// Senders that send their headers and then only a trickle of their body, on real connections to
/// the function on loopback: they hold a place among the bodies arriving, never a classification
/// slot. The function runs with fakes and a fixed clock, so the body timeout never ends them.
/// </summary>
public sealed class SlowSenderTests
{
    private const string ActiveRequests = "imageclassifier.requests.active";

    [Fact]
    public async Task Ten_senders_stuck_in_their_bodies_leave_the_slots_free_and_a_classification_gets_200()
    {
        // The shipped limits: 8 slots and 2 queue places, which ten slow senders used to fill.
        await using var function = new FakedFunctionApp(new Dictionary<string, string?>
        {
            ["MAX_CONCURRENT_REQUESTS"] = "8",
            ["REQUEST_QUEUE_LIMIT"] = "2",
        });
        await function.StartOnLoopbackAsync();
        using var counters = new CounterRecorder(function.Services);
        var senders = new List<Socket>();
        try
        {
            for (var index = 0; index < 10; index++)
            {
                senders.Add(await StartSlowBodyAsync(function.BaseAddress));
            }

            await Eventually.WaitAsync(() => counters.Total(ActiveRequests) == 10, "the ten slow senders' requests never reached the function");
            using var client = new HttpClient { BaseAddress = function.BaseAddress };

            using var response = await client.PostAsync("/", UrlBody());

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        finally
        {
            senders.ForEach(socket => socket.Dispose());
        }
    }

    [Fact]
    public async Task Beyond_MAX_CONCURRENT_BODY_READS_a_request_is_refused_with_503_counted_and_the_places_come_back()
    {
        await using var function = new FakedFunctionApp(new Dictionary<string, string?>
        {
            ["MAX_CONCURRENT_BODY_READS"] = "2",
        });
        await function.StartOnLoopbackAsync();
        using var counters = new CounterRecorder(function.Services);
        using var client = new HttpClient { BaseAddress = function.BaseAddress };
        var senders = new List<Socket> { await StartSlowBodyAsync(function.BaseAddress), await StartSlowBodyAsync(function.BaseAddress) };
        try
        {
            await Eventually.WaitAsync(() => counters.Total(ActiveRequests) == 2, "the two slow senders' requests never reached the function");
            Assert.Equal(2, counters.Total("imageclassifier.requests.receiving"));

            using var refused = await client.PostAsync("/", UrlBody());

            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(1), refused.Headers.RetryAfter?.Delta);
            using var problem = JsonDocument.Parse(await refused.Content.ReadAsStringAsync());
            Assert.Equal(Problems.TooManyUploads.Type, problem.RootElement.GetProperty("type").GetString());
            Assert.Contains("MAX_CONCURRENT_BODY_READS", problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
            Assert.Equal(1, counters.Total("imageclassifier.requests.shed", Problems.TooManyUploads.Slug));
        }
        finally
        {
            senders.ForEach(socket => socket.Dispose());
        }

        await Eventually.WaitAsync(() => counters.Total(ActiveRequests) == 0, "the slow senders' requests did not end when they went away");
        Assert.Equal(0, counters.Total("imageclassifier.requests.receiving"));
        using var served = await client.PostAsync("/", UrlBody());
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
    }

    /// <summary>A connection that sends a JSON request's headers and two bytes of its 100-byte body, then nothing.</summary>
    private static async Task<Socket> StartSlowBodyAsync(Uri function)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(function.Host, function.Port);
            var head = string.Create(
                CultureInfo.InvariantCulture,
                $"POST / HTTP/1.1\r\nHost: {function.Authority}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{{\"");
            await socket.SendAsync(Encoding.ASCII.GetBytes(head));
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static StringContent UrlBody() => new("""{"url": "https://example.com/cat.jpg"}""", Encoding.UTF8, MediaTypeNames.Application.Json);
}
