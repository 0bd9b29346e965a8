using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using CloudNative.CloudEvents;
using ImageClassifier.Delivery;
using ImageClassifier.Edge;
using ImageClassifier.Failures;
using ImageClassifier.Tests.Harness;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace ImageClassifier.Tests.Edge;

public class CloudEventHttpBindingReadTests
{
    private static readonly (string, string)[] ValidHeaders =
    [
        ("ce-specversion", "1.0"),
        ("ce-id", "event-1"),
        ("ce-source", "/tests"),
        ("ce-type", "com.example.classify"),
    ];

    private static readonly CloudEventHttpBinding binding = new(new AttributeLimits(Options.Create(new EdgeOptions())));

    [Fact]
    public void Binary_mode_reads_every_attribute_from_the_headers()
    {
        var context = HttpContexts.Request("application/json; charset=utf-8", "{}",
            [.. ValidHeaders, ("ce-subject", "caf%C3%A9"), ("ce-time", "2024-05-01T12:00:00Z"), ("ce-tenant", "blue"), ("x-other", "ignored")]);

        var cloudEvent = binding.ReadBinaryModeAttributes(context.Request);

        Assert.Equal(CloudEventsSpecVersion.V1_0, cloudEvent.SpecVersion);
        Assert.Equal("event-1", cloudEvent.Id);
        Assert.Equal(new Uri("/tests", UriKind.Relative), cloudEvent.Source);
        Assert.Equal("com.example.classify", cloudEvent.Type);
        Assert.Equal("café", cloudEvent.Subject);
        Assert.Equal(new DateTimeOffset(2024, 5, 1, 12, 0, 0, TimeSpan.Zero), cloudEvent.Time);
        Assert.Equal("blue", cloudEvent["tenant"]);
        Assert.Equal("application/json; charset=utf-8", cloudEvent.DataContentType);
        Assert.Null(cloudEvent["other"]);
    }

    [Theory]
    [InlineData("ce-id", "id")]
    [InlineData("ce-source", "source")]
    [InlineData("ce-type", "type")]
    public void Binary_mode_without_a_required_attribute_is_invalid(string header, string attribute)
    {
        var context = HttpContexts.Request("application/json", "{}", [.. ValidHeaders.Where(h => h.Item1 != header)]);

        var failure = Assert.Throws<ClassificationException>(() => binding.ReadBinaryModeAttributes(context.Request));

        AssertInvalidCloudEvent(failure, $"\"{attribute}\"");
    }

    [Theory]
    [InlineData("0.3")]
    [InlineData("2.0")]
    [InlineData("garbage")]
    [InlineData("")]
    public void Binary_mode_with_another_specversion_is_invalid(string specVersion)
    {
        var context = HttpContexts.Request("application/json", "{}",
            [("ce-specversion", specVersion), .. ValidHeaders.Skip(1)]);

        var failure = Assert.Throws<ClassificationException>(() => binding.ReadBinaryModeAttributes(context.Request));

        AssertInvalidCloudEvent(failure, "\"specversion\" must be \"1.0\"");
    }

    [Fact]
    public void Binary_mode_with_an_attribute_given_twice_is_invalid()
    {
        var context = HttpContexts.Request("application/json", "{}", ValidHeaders);
        context.Request.Headers["ce-id"] = new StringValues(["event-1", "event-2"]);

        var failure = Assert.Throws<ClassificationException>(() => binding.ReadBinaryModeAttributes(context.Request));

        AssertInvalidCloudEvent(failure, "\"id\" is given more than once");
    }

    [Fact]
    public void Binary_mode_with_an_attribute_value_of_the_wrong_type_is_invalid()
    {
        var context = HttpContexts.Request("application/json", "{}", [.. ValidHeaders, ("ce-time", "yesterday")]);

        var failure = Assert.Throws<ClassificationException>(() => binding.ReadBinaryModeAttributes(context.Request));

        AssertInvalidCloudEvent(failure, "\"time\" has a value that is not valid");
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("Application/JSON; charset=utf-8")]
    public void Binary_mode_json_data_is_parsed(string contentType)
    {
        var cloudEvent = BinaryEvent(contentType);

        CloudEventHttpBinding.DecodeBinaryModeData(cloudEvent, Encoding.UTF8.GetBytes("""{"url": "https://example.com/cat.jpg"}"""));

        var data = Assert.IsType<JsonElement>(cloudEvent.Data);
        Assert.Equal("https://example.com/cat.jpg", data.GetProperty("url").GetString());
    }

    [Fact]
    public void Binary_mode_json_data_that_is_not_json_is_an_invalid_request()
    {
        var cloudEvent = BinaryEvent("application/json");

        var failure = Assert.Throws<ClassificationException>(() => CloudEventHttpBinding.DecodeBinaryModeData(cloudEvent, Encoding.UTF8.GetBytes("{\"url\":")));

        Assert.Equal(Problems.InvalidRequest, failure.Type);
    }

    [Fact]
    public void Binary_mode_image_data_is_the_body_itself_not_a_copy()
    {
        var cloudEvent = BinaryEvent("image/png");
        var body = new byte[] { 0, 0x89, 0x50, 0x4E, 0x47 };

        CloudEventHttpBinding.DecodeBinaryModeData(cloudEvent, body.AsMemory(1));

        var data = Assert.IsType<ReadOnlyMemory<byte>>(cloudEvent.Data);
        Assert.True(MemoryMarshal.TryGetArray(data, out var segment));
        Assert.Same(body, segment.Array);
        Assert.Equal((1, 4), (segment.Offset, segment.Count));
    }

    [Fact]
    public void Structured_mode_reads_attributes_and_json_data()
    {
        var cloudEvent = binding.DecodeStructuredMode(Utf8("""
            {"specversion": "1.0", "id": "e1", "source": "https://example.com/src", "type": "com.example.classify",
             "subject": "s", "tenant": "blue", "data": {"url": "https://example.com/cat.jpg", "topK": 2}}
            """));

        Assert.Equal("e1", cloudEvent.Id);
        Assert.Equal(new Uri("https://example.com/src"), cloudEvent.Source);
        Assert.Equal("com.example.classify", cloudEvent.Type);
        Assert.Equal("s", cloudEvent.Subject);
        Assert.Equal("blue", cloudEvent["tenant"]);
        Assert.Equal("application/json", cloudEvent.DataContentType);
        Assert.Equal(2, Assert.IsType<JsonElement>(cloudEvent.Data).GetProperty("topK").GetInt32());
    }

    [Fact]
    public void Structured_mode_reads_data_base64_as_bytes()
    {
        var cloudEvent = binding.DecodeStructuredMode(Utf8("""
            {"specversion": "1.0", "id": "e1", "source": "/s", "type": "t", "datacontenttype": "image/png", "data_base64": "AQID"}
            """));

        Assert.Equal(new byte[] { 1, 2, 3 }, Assert.IsType<byte[]>(cloudEvent.Data));
        Assert.Equal("image/png", cloudEvent.DataContentType);
    }

    [Theory]
    [InlineData("""{"specversion": "1.0", "source": "/s", "type": "t"}""", "no \"id\"")]
    [InlineData("""{"specversion": "1.0", "id": "e1", "type": "t"}""", "no \"source\"")]
    [InlineData("""{"specversion": "1.0", "id": "e1", "source": "/s"}""", "no \"type\"")]
    [InlineData("""{"specversion": "1.0", "id": null, "source": "/s", "type": "t"}""", "no \"id\"")]
    [InlineData("""{"specversion": "1.0", "id": 7, "source": "/s", "type": "t"}""", "\"id\" must be a string")]
    [InlineData("""{"id": "e1", "source": "/s", "type": "t"}""", "no \"specversion\"")]
    [InlineData("""{"specversion": "0.3", "id": "e1", "source": "/s", "type": "t"}""", "\"specversion\" must be \"1.0\"")]
    [InlineData("""{"specversion": "2.0", "id": "e1", "source": "/s", "type": "t"}""", "\"specversion\" must be \"1.0\"")]
    [InlineData("""{"specversion": "garbage", "id": "e1", "source": "/s", "type": "t"}""", "\"specversion\" must be \"1.0\"")]
    [InlineData("""{"specversion": 1.0, "id": "e1", "source": "/s", "type": "t"}""", "no \"specversion\"")]
    [InlineData("""[{"specversion": "1.0", "id": "e1", "source": "/s", "type": "t"}]""", "must be a JSON object")]
    [InlineData("\"an event\"", "must be a JSON object")]
    [InlineData("""{"specversion": "1.0", "id": "e1", "source": "/s", "type": "t", "data": {}, "data_base64": "AQID"}""", "both \"data\" and \"data_base64\"")]
    [InlineData("""{"specversion": "1.0", "id": "e1", "source": "/s", "type": "t", "time": "yesterday"}""", "not valid")]
    [InlineData("""{"specversion": "1.0", "id": "e1", "source": "/s", "type": "t", "data_base64": "not base64!"}""", "not valid")]
    [InlineData("""{"specversion": "1.0", "id": "e1", """, "not valid JSON")]
    [InlineData("", "not valid JSON")]
    public void Structured_mode_rejects_an_invalid_event(string json, string detail)
    {
        var failure = Assert.Throws<ClassificationException>(() => binding.DecodeStructuredMode(Utf8(json)));

        AssertInvalidCloudEvent(failure, detail);
    }

    private static CloudEvent BinaryEvent(string contentType) =>
        binding.ReadBinaryModeAttributes(HttpContexts.Request(contentType, "", ValidHeaders).Request);

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    private static void AssertInvalidCloudEvent(ClassificationException failure, string detail)
    {
        Assert.Equal(Problems.InvalidCloudEvent, failure.Type);
        Assert.Contains(detail, failure.Message, StringComparison.Ordinal);
    }
}
