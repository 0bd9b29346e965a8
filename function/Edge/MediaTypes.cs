using Microsoft.Net.Http.Headers;

namespace ImageClassifier.Edge;

/// <summary>The content types the edge reads, matched on the media type alone (parameters ignored).</summary>
internal static class MediaTypes
{
    public const string Json = "application/json";

    public const string StructuredCloudEventJson = "application/cloudevents+json";

    public static bool IsJson(string? contentType) => Is(contentType, Json);

    public static bool IsStructuredCloudEventJson(string? contentType) => Is(contentType, StructuredCloudEventJson);

    public static bool IsImage(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var parsed)
        && parsed.Type.Equals("image", StringComparison.OrdinalIgnoreCase)
        && !parsed.MatchesAllSubTypes;

    private static bool Is(string? contentType, string mediaType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var parsed)
        && parsed.MediaType.Equals(mediaType, StringComparison.OrdinalIgnoreCase);
}
