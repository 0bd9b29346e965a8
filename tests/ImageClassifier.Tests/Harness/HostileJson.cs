using System.Text;

namespace ImageClassifier.Tests.Harness;

/// <summary>
/// JSON bodies that cost a parser far more than their bytes: arrays and objects of empty
/// values, a few bytes each on the wire and a row, a record or a list each once parsed.
/// </summary>
internal static class HostileJson
{
    /// <summary>A structured-mode event naming an image, its <c>data</c> padded with empty arrays beside the URL to about <paramref name="bytes"/>.</summary>
    public static byte[] PaddedEvent(int bytes, string url = "https://example.com/cat.jpg") =>
        Build(
            $$"""{"specversion":"1.0","id":"padded","source":"/tests/hostile","type":"com.example.classify","datacontenttype":"application/json","data":{"url":"{{url}}","pad":[""",
            "[]",
            "]}}",
            bytes);

    /// <summary>A CloudEvents batch of about <paramref name="bytes"/>: an array of empty arrays.</summary>
    public static byte[] EmptyArraysBatch(int bytes) => Build("[", "[]", "]", bytes);

    /// <summary>A v2 inference request of about <paramref name="bytes"/> whose inputs are empty objects.</summary>
    public static byte[] EmptyInputs(int bytes) => Build("""{"inputs":[""", "{}", "]}", bytes);

    private static byte[] Build(string prefix, string element, string suffix, int bytes)
    {
        var json = new StringBuilder(bytes + 16).Append(prefix).Append(element);
        while (json.Length + element.Length + 1 + suffix.Length <= bytes)
        {
            json.Append(',').Append(element);
        }

        return Encoding.UTF8.GetBytes(json.Append(suffix).ToString());
    }
}
