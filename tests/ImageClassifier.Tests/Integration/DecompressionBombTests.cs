using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using ImageClassifier.Tests.Harness;
using ImageClassifier.Tests.Imaging;

namespace ImageClassifier.Tests.Integration;

/// <summary>
/// The attack that once took the process from 140 MiB to 707 MiB: eight 40-megapixel PNGs of
/// 155 KB at once, and a batch of four more, against the published function with its shipped
/// defaults. Every request is answered (200, or 503 with Retry-After when the memory it needs
/// stays taken), and the peak resident set stays under the Knative Service's memory limit.
/// </summary>
public sealed class DecompressionBombTests
{
    private const uint Side = 6324;

    [Fact]
    public async Task Eight_bombs_and_a_bomb_batch_at_once_keep_the_peak_resident_set_under_the_manifests_limit()
    {
        var bomb = HandMadePng.Bomb(Side);
        await using var function = await PublishedFunction.StartAsync(new Dictionary<string, string>());
        using var client = new HttpClient { Timeout = TimeSpan.FromMinutes(2) };
        await function.WaitUntilReadyAsync(client);

        var singles = Enumerable.Range(0, 8).Select(_ => PostAsync(client, function.BaseAddress, bomb, "image/png")).ToArray();
        var batch = PostAsync(client, function.BaseAddress, Encoding.UTF8.GetBytes(BombBatch(bomb, 4)), "application/cloudevents-batch+json");
        var answers = await Task.WhenAll([.. singles, batch]);

        foreach (var (status, retryAfter, body) in answers[..8])
        {
            Assert.True(status == HttpStatusCode.OK || (status == HttpStatusCode.ServiceUnavailable && retryAfter), $"{(int)status}: {body}");
        }

        AssertBatchAnswered(answers[8]);
        var limit = PublishedMemory.ManifestLimit();
        var peak = PublishedMemory.PeakResidentBytes(function.ProcessId);
        Assert.True(peak < limit, $"the peak resident set was {peak / (1024 * 1024)} MiB, over the manifest's {limit / (1024 * 1024)} MiB\n{function.Output}");
        using var ready = await client.GetAsync(new Uri(function.BaseAddress, "/readyz"));
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
    }

    private static async Task<(HttpStatusCode Status, bool RetryAfter, string Body)> PostAsync(HttpClient client, Uri address, byte[] body, string contentType)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        using var response = await client.PostAsync(address, content);
        return (response.StatusCode, response.Headers.RetryAfter is not null, await response.Content.ReadAsStringAsync());
    }

    /// <summary>A batch is answered 503 as a whole, or 200 with each event's reply or its failure (a 503 of its own, memory-busy).</summary>
    private static void AssertBatchAnswered((HttpStatusCode Status, bool RetryAfter, string Body) answer)
    {
        if (answer.Status == HttpStatusCode.ServiceUnavailable)
        {
            Assert.True(answer.RetryAfter, answer.Body);
            return;
        }

        Assert.True(answer.Status == HttpStatusCode.OK, $"{(int)answer.Status}: {answer.Body}");
        using var events = JsonDocument.Parse(answer.Body);
        Assert.Equal(4, events.RootElement.GetArrayLength());
        foreach (var reply in events.RootElement.EnumerateArray())
        {
            var type = reply.GetProperty("type").GetString();
            Assert.True(type == "io.kserve.inference.response"
                || (type == "io.kserve.inference.response.failed" && reply.GetProperty("data").GetProperty("status").GetInt32() == 503), reply.ToString());
        }
    }

    private static string BombBatch(byte[] bomb, int count)
    {
        var data = Convert.ToBase64String(bomb);
        return "[" + string.Join(',', Enumerable.Range(0, count).Select(i =>
            $$"""{"specversion":"1.0","id":"bomb-{{i}}","source":"/tests/bombs","type":"dev.knative.samples.image.classify","datacontenttype":"image/png","data_base64":"{{data}}"}""")) + "]";
    }
}
