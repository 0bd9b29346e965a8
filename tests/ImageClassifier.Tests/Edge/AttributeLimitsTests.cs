using System.Net;
using System.Text;
using System.Text.Json;
using ImageClassifier.Edge;
using ImageClassifier.Failures;
using ImageClassifier.Tests.Harness;
using Microsoft.Extensions.Options;

namespace ImageClassifier.Tests.Edge;

/// <summary>What an event's attributes may weigh: each attribute and extension, their number, trace context, the envelope.</summary>
public sealed class AttributeLimitsTests : FakedFunctionTest
{
    private static readonly CloudEventHttpBinding Binding = new(new AttributeLimits(Options.Create(new EdgeOptions())));

    public static TheoryData<string> Attributes => ["id", "source", "type", "subject", "dataschema", "tenant"];

    [Theory]
    [MemberData(nameof(Attributes))]
    public void An_attribute_over_2_KiB_is_400_naming_it(string attribute)
    {
        var failure = Assert.Throws<ClassificationException>(() => Binding.DecodeStructuredMode(Event((attribute, Long(attribute, 2049)))));

        Assert.Equal(Problems.AttributeTooLarge, failure.Type);
        Assert.Equal(attribute, failure.Extensions["attribute"]);
        Assert.Contains($"\"{attribute}\"", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Attributes))]
    public void An_attribute_of_2_KiB_is_read(string attribute)
    {
        var cloudEvent = Binding.DecodeStructuredMode(Event((attribute, Long(attribute, 2048))));

        Assert.Equal(2048, cloudEvent.GetPopulatedAttributes().Single(pair => pair.Key.Name == attribute).Key.Format(cloudEvent[attribute]!).Length);
    }

    [Fact]
    public void A_binary_mode_header_over_2_KiB_is_400_naming_it()
    {
        var context = HttpContexts.Request("application/json", "{}",
            ("ce-specversion", "1.0"), ("ce-id", new string('i', 2049)), ("ce-source", "/s"), ("ce-type", "com.example.classify"));

        var failure = Assert.Throws<ClassificationException>(() => Binding.ReadBinaryModeAttributes(context.Request));

        Assert.Equal(Problems.AttributeTooLarge, failure.Type);
        Assert.Equal("id", failure.Extensions["attribute"]);
    }

    [Fact]
    public void Thirty_two_extensions_are_read_and_thirty_three_are_400()
    {
        var allowed = Binding.DecodeStructuredMode(Event([.. Enumerable.Range(0, 32).Select(i => ($"ext{i}", "x"))]));
        var failure = Assert.Throws<ClassificationException>(() => Binding.DecodeStructuredMode(Event([.. Enumerable.Range(0, 33).Select(i => ($"ext{i}", "x"))])));

        Assert.Equal(32, allowed.GetPopulatedAttributes().Count(pair => pair.Key.IsExtension));
        Assert.Equal(Problems.InvalidCloudEvent, failure.Type);
        Assert.Contains("33 extension attributes", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_traceparent_that_is_not_W3C_Trace_Context_is_400()
    {
        var failure = Assert.Throws<ClassificationException>(() => Binding.DecodeStructuredMode(Event(("traceparent", "00-not-a-trace-id-01"))));

        Assert.Equal(Problems.InvalidCloudEvent, failure.Type);
        Assert.Contains("traceparent", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_tracestate_over_512_characters_is_400_naming_it()
    {
        var traceState = string.Join(',', Enumerable.Range(0, 60).Select(i => $"vendor{i:D2}=abcd"));

        var failure = Assert.Throws<ClassificationException>(() => Binding.DecodeStructuredMode(Event(
            ("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"), ("tracestate", traceState))));

        Assert.True(traceState.Length > 512);
        Assert.Equal(Problems.AttributeTooLarge, failure.Type);
        Assert.Equal("tracestate", failure.Extensions["attribute"]);
    }

    [Fact]
    public async Task An_event_over_64_KiB_besides_its_image_is_400()
    {
        // Many extensions of the largest allowed size: each within bounds, together too much.
        var members = Enumerable.Range(0, 32).Select(i => ($"ext{i}", new string('x', 2048))).ToArray();

        using var response = await Client.PostAsync("/", new ByteArrayContent(Event(members)) { Headers = { { "Content-Type", "application/cloudevents+json" } } });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(Problems.CloudEventTooLarge.Type, problem.RootElement.GetProperty("type").GetString());
    }

    [Fact]
    public void Large_data_does_not_count_against_the_envelope()
    {
        var json = $$"""{"specversion": "1.0", "id": "e", "source": "/s", "type": "t", "datacontenttype": "image/png", "data_base64": "{{Convert.ToBase64String(new byte[100_000])}}"}""";

        var cloudEvent = Binding.DecodeStructuredMode(Encoding.UTF8.GetBytes(json));

        Assert.Equal(100_000, ((byte[])cloudEvent.Data!).Length);
    }

    [Fact]
    public async Task A_50_KB_id_is_refused_with_400_and_never_reaches_the_log_or_the_fetcher()
    {
        var id = new string('x', 50_000);
        var json = $$$"""{"specversion": "1.0", "id": "{{{id}}}", "source": "/s", "type": "com.example.classify", "data": {"url": "{{{CatUrl}}}"}}""";

        using var response = await Client.PostAsync("/", new StringContent(json, Encoding.UTF8, "application/cloudevents+json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(Problems.AttributeTooLarge.Type, problem.RootElement.GetProperty("type").GetString());
        Assert.Equal("id", problem.RootElement.GetProperty("attribute").GetString());
        Assert.Empty(Function.Fetcher.Requested);
        Assert.DoesNotContain(Function.Logs.Entries, entry => entry.ToString().Contains(new string('x', 300), StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_long_id_within_the_limit_is_logged_cut_to_256_characters()
    {
        var id = new string('y', 2000);
        var json = $$$"""{"specversion": "1.0", "id": "{{{id}}}", "source": "/s", "type": "com.example.classify", "data": {"url": "{{{CatUrl}}}"}}""";

        using var response = await Client.PostAsync("/", new StringContent(json, Encoding.UTF8, "application/cloudevents+json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var line = Assert.Single(Function.Logs.Of("ImageClassifier.Delivery.RequestLog"));
        Assert.Equal(new string('y', 256), line.Values["EventId"]);
    }

    private static string Long(string attribute, int length) => attribute switch
    {
        "source" or "dataschema" => "urn:" + new string('s', length - 4),
        _ => new string('a', length),
    };

    private static byte[] Event(params (string Name, string Value)[] extra)
    {
        var members = new Dictionary<string, string>
        {
            ["specversion"] = "1.0",
            ["id"] = "e",
            ["source"] = "/s",
            ["type"] = "com.example.classify",
        };
        foreach (var (name, value) in extra)
        {
            members[name] = value;
        }

        return JsonSerializer.SerializeToUtf8Bytes(members);
    }
}
