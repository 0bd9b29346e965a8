using System.Net.Http.Headers;
using System.Text.Json;
using CloudNative.CloudEvents;
using CloudNative.CloudEvents.Http;
using CloudNative.CloudEvents.SystemTextJson;

namespace ImageClassifier.Tests.Harness;

/// <summary>Builds requests and reads replies the way a CloudEvents SDK client does.</summary>
public static class Replies
{
    public static readonly JsonEventFormatter Formatter = new();

    public static ByteArrayContent ImageContent(string imageName)
    {
        var content = new ByteArrayContent(TestImages.Read(imageName));
        content.Headers.ContentType = new MediaTypeHeaderValue(imageName.EndsWith(".png", StringComparison.Ordinal) ? "image/png" : "image/jpeg");
        return content;
    }

    public static CloudEvent RequestEvent(object data, string type = "dev.knative.samples.image.classify") => new()
    {
        Id = Guid.NewGuid().ToString(),
        Source = new Uri("urn:test:image-classifier"),
        Type = type,
        DataContentType = "application/json",
        Data = data,
    };

    public static async Task<CloudEvent> ReadEventAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {body}");
        return await response.ToCloudEventAsync(Formatter);
    }

    /// <summary>The reply's data as JSON, whatever the SDK decoded it to.</summary>
    public static JsonElement DataOf(CloudEvent reply) => reply.Data switch
    {
        JsonElement element => element,
        string text => JsonDocument.Parse(text).RootElement,
        byte[] bytes => JsonDocument.Parse(bytes).RootElement,
        var other => throw new InvalidOperationException($"Unexpected data {other?.GetType()}"),
    };

    public static string[] Labels(JsonElement data) =>
        [.. data.GetProperty("predictions").EnumerateArray().Select(p => p.GetProperty("label").GetString()!)];
}
