using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using ImageClassifier.Tests.Config;
using ImageClassifier.Tests.Harness;
using Xunit.Abstractions;

namespace ImageClassifier.Tests.Integration;

/// <summary>
/// The JSON bodies that once cost a parser eight times their size, against the published
/// function with its shipped defaults: two 20 MB structured events whose data is padded with
/// empty arrays beside a URL (1,304 MiB), two 20 MB batches of empty arrays (942 MiB) and two
/// 7 MB inference requests of empty inputs (549 MiB), all at once. Each is refused with its 4xx
/// before it is parsed, the peak resident set stays under the Knative Service's memory limit,
/// and an image sent afterwards is classified.
/// </summary>
public sealed class HostileJsonTests(ITestOutputHelper output)
{
    private const string ModelName = "mobilenetv2-12-int8";

    [Fact]
    public async Task Two_of_each_json_shape_at_once_are_refused_before_they_are_parsed_under_the_manifests_limit_and_the_function_classifies_afterwards()
    {
        await using var function = await PublishedFunction.StartAsync(new Dictionary<string, string>());
        using var client = new HttpClient { Timeout = TimeSpan.FromMinutes(2) };
        await function.WaitUntilReadyAsync(client);
        var ready = function.PeakResidentBytes;
        var root = function.BaseAddress;
        var infer = new Uri(root, $"/v2/models/{ModelName}/infer");
        var padded = HostileJson.PaddedEvent(20_000_000);
        var batch = HostileJson.EmptyArraysBatch(20_000_000);
        var inputs = HostileJson.EmptyInputs(7_000_000);

        var answers = await Task.WhenAll(
            PostAsync(client, root, padded, "application/cloudevents+json"),
            PostAsync(client, root, padded, "application/cloudevents+json"),
            PostAsync(client, root, batch, "application/cloudevents-batch+json"),
            PostAsync(client, root, batch, "application/cloudevents-batch+json"),
            PostAsync(client, infer, inputs, "application/json"),
            PostAsync(client, infer, inputs, "application/json"));
        var peak = function.PeakResidentBytes;
        var classified = await PostAsync(client, root, TestImages.Read("coffee-baseline.jpg"), "image/jpeg");

        output.WriteLine($"ready: {ready / (1024 * 1024)} MiB; after the six: {peak / (1024 * 1024)} MiB");
        foreach (var answer in answers)
        {
            output.WriteLine($"{answer.Status} in {answer.Elapsed.TotalSeconds:F2} s: {answer.Body}");
        }

        AssertProblem(answers[0], HttpStatusCode.RequestEntityTooLarge, "json-too-complex");
        AssertProblem(answers[1], HttpStatusCode.RequestEntityTooLarge, "json-too-complex");
        AssertProblem(answers[2], HttpStatusCode.RequestEntityTooLarge, "too-many-events");
        AssertProblem(answers[3], HttpStatusCode.RequestEntityTooLarge, "too-many-events");
        foreach (var answer in answers[4..])
        {
            Assert.True(answer.Status == HttpStatusCode.BadRequest, $"{(int)answer.Status}: {answer.Body}");
            using var error = JsonDocument.Parse(answer.Body);
            Assert.Contains("inputs", error.RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
        }

        var limit = Manifests.MemoryLimitBytes();
        Assert.True(peak < limit, $"the peak resident set was {peak / (1024 * 1024)} MiB, over the manifest's {limit / (1024 * 1024)} MiB\n{function.Output}");
        Assert.True(classified.Status == HttpStatusCode.OK, $"{(int)classified.Status}: {classified.Body}");
    }

    private static void AssertProblem((HttpStatusCode Status, string Body, TimeSpan Elapsed) answer, HttpStatusCode status, string slug)
    {
        Assert.True(answer.Status == status, $"{(int)answer.Status}: {answer.Body}");
        using var problem = JsonDocument.Parse(answer.Body);
        Assert.Equal("urn:image-classifier:problem:" + slug, problem.RootElement.GetProperty("type").GetString());
    }

    private static async Task<(HttpStatusCode Status, string Body, TimeSpan Elapsed)> PostAsync(HttpClient client, Uri address, byte[] body, string contentType)
    {
        var clock = Stopwatch.StartNew();
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        using var response = await client.PostAsync(address, content);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(), clock.Elapsed);
    }
}
