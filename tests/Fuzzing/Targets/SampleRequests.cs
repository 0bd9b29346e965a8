using System.Text;
using ImageClassifier.Delivery;
using ImageClassifier.Edge;

namespace ImageClassifier.Fuzzing;

/// <summary>One valid request of every form the edge reads: the fuzzer's event seeds and the property tests' starting points.</summary>
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
        yield return ("batch", Input("application/cloudevents-batch+json", [],
            """[{"specversion":"1.0","id":"1","source":"urn:test","type":"dev.test.classify","data":{"url":"https://example.com/a.jpg"}}]"""));
    }

    private static FuzzInput Input(string contentType, (string Name, string Value)[] headers, string body) =>
        Input(contentType, headers, Encoding.UTF8.GetBytes(body));

    private static FuzzInput Input(string contentType, (string Name, string Value)[] headers, byte[] body) =>
        new(contentType, [.. headers.Select(h => KeyValuePair.Create(h.Name, h.Value))], body);
}
