using System.Text;
using ImageClassifier.Delivery;
using ImageClassifier.Edge;

namespace ImageClassifier.Fuzzing;

/// <summary>
/// One valid request of every form the edge reads, and requests at the edge's attribute limits
/// (an id of MAX_ATTRIBUTE_BYTES, 32 extensions, W3C trace context): the fuzzer's event seeds and
/// the property tests' starting points.
/// </summary>
internal static class SampleRequests
{
    public const string UrlJson = """{"url":"https://example.com/cat.jpg","topK":3}""";

    private static readonly (string Name, string Value)[] BinaryModeHeaders =
        [("ce-specversion", "1.0"), ("ce-id", "42"), ("ce-source", "/my/app"), ("ce-type", "dev.knative.samples.image.classify")];

    public static IEnumerable<(string Name, FuzzInput Input)> All(byte[] png)
    {
        var base64 = Convert.ToBase64String(png);
        yield return ("plain-json", Input("application/json", [], UrlJson));
        yield return ("raw-image", Input("image/png", [], png));
        yield return ("binary-json", Input("application/json; charset=utf-8",
            [.. BinaryModeHeaders, ("ce-time", "2026-11-26T11:00:00Z"), ("ce-subject", "cat%20picture")], UrlJson));
        yield return ("binary-image", Input("image/png", BinaryModeHeaders, png));
        yield return ("binary-own-reply", Input("application/json",
            [.. BinaryModeHeaders[..3], ("ce-type", FunctionOptions.DefaultReplyType)], UrlJson));
        yield return ("structured-json", Input(MediaTypes.StructuredCloudEventJson, [],
            $$"""{"specversion":"1.0","id":"1","source":"urn:test","type":"dev.test.classify","time":"2026-11-26T11:00:00Z","dataschema":"https://example.com/schema","datacontenttype":"application/json","myext":"x","data":{{UrlJson}}}"""));
        yield return ("structured-image", Input(MediaTypes.StructuredCloudEventJson + "; charset=utf-8", [],
            $$"""{"specversion":"1.0","id":"2","source":"urn:test","type":"dev.test.classify","datacontenttype":"image/png","data_base64":"{{base64}}"}"""));
        yield return ("binary-trace-context", Input("application/json",
            [.. BinaryModeHeaders, ("ce-traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"), ("ce-tracestate", "congo=t61rcWkgMzE,rojo=00f067aa0ba902b7")], UrlJson));
        yield return ("binary-id-at-limit", Input("application/json",
            [("ce-specversion", "1.0"), ("ce-id", new string('i', EdgeOptions.DefaultMaxAttributeBytes)), .. BinaryModeHeaders[2..]], UrlJson));
        yield return ("binary-extensions-at-limit", Input("application/json",
            [.. BinaryModeHeaders, .. Enumerable.Range(0, AttributeLimits.MaxExtensions).Select(n => ($"ce-ext{n}", "x"))], UrlJson));
        yield return ("batch", Input("application/cloudevents-batch+json", [],
            """[{"specversion":"1.0","id":"1","source":"urn:test","type":"dev.test.classify","data":{"url":"https://example.com/a.jpg"}}]"""));
    }

    private static FuzzInput Input(string contentType, (string Name, string Value)[] headers, string body) =>
        Input(contentType, headers, Encoding.UTF8.GetBytes(body));

    private static FuzzInput Input(string contentType, (string Name, string Value)[] headers, byte[] body) =>
        new(contentType, [.. headers.Select(h => KeyValuePair.Create(h.Name, h.Value))], body);
}
