using System.Text.Json;
using ImageClassifier.Failures;

namespace ImageClassifier.Edge;

/// <summary>Turns the JSON that names an image into a <see cref="ClassificationRequest"/>, saying exactly what is wrong with it.</summary>
internal static class RequestBodyParser
{
    public static ClassificationRequest Parse(ReadOnlyMemory<byte> json)
    {
        using var document = Utf8Json.Parse(json, e => Problems.InvalidRequest.Failure("The request body is not valid JSON.", e));
        return Parse(document.RootElement);
    }

    public static ClassificationRequest Parse(JsonElement json)
    {
        if (json.ValueKind != JsonValueKind.Object)
        {
            throw Problems.InvalidRequest.Failure("The request must be a JSON object such as {\"url\": \"https://example.com/cat.jpg\"}.");
        }

        RequestBody body;
        try
        {
            body = json.Deserialize(EdgeJsonContext.Default.RequestBody)!;
        }
        catch (JsonException e)
        {
            throw Problems.InvalidRequest.Failure(DetailFor(e.Path), e);
        }

        if (body.Url is null)
        {
            throw Problems.InvalidRequest.Failure("The request has no \"url\".");
        }

        return new ClassificationRequest(ParseUrl(body.Url), null, body.TopK);
    }

    private static string DetailFor(string? path) => path switch
    {
        _ when string.Equals(path, "$.url", StringComparison.OrdinalIgnoreCase) => "\"url\" must be a string.",
        _ when string.Equals(path, "$.topK", StringComparison.OrdinalIgnoreCase) => "\"topK\" must be an integer.",
        _ => "The request JSON does not have the expected shape: {\"url\": \"...\", \"topK\": 5}.",
    };

    private static Uri ParseUrl(string text)
    {
        // On Unix, Uri takes "/cat.jpg" for an absolute file path; a caller who wrote that
        // meant a relative URL, which is malformed here, not a file request to refuse.
        if (!Uri.TryCreate(text, UriKind.Absolute, out var url)
            || (url.IsFile && !text.TrimStart().StartsWith("file:", StringComparison.OrdinalIgnoreCase)))
        {
            throw Problems.InvalidUrl.Failure("The \"url\" is not an absolute URL.");
        }

        return url;
    }
}
