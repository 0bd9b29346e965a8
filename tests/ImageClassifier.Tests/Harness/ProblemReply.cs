using System.Net;
using System.Text.Json;

namespace ImageClassifier.Tests.Harness;

/// <summary>An answer read as an RFC 9457 problem: its status, the case its <c>type</c> names, and the raw body.</summary>
public sealed record ProblemReply(HttpStatusCode Status, string? ContentType, string? Type, string Body)
{
    public const string TypeBase = "urn:image-classifier:problem:";

    /// <summary>The codes Knative Eventing retries; a failure a retry cannot fix must answer none of them.</summary>
    public bool IsRetriedByKnative => (int)Status is 404 or 408 or 409 or 429 or >= 500;

    public static async Task<ProblemReply> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken = default)
    {
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        var contentType = response.Content.Headers.ContentType?.MediaType;
        string? type = null;
        if (contentType == "application/problem+json")
        {
            using var json = JsonDocument.Parse(body);
            type = json.RootElement.GetProperty("type").GetString();
        }

        return new ProblemReply(response.StatusCode, contentType, type, body);
    }

    /// <summary>Fails unless this is a problem body with a 4xx status Knative does not retry.</summary>
    public void AssertNonRetriedClientError()
    {
        Assert.True((int)Status is >= 400 and < 500 && !IsRetriedByKnative, $"expected a non-retried 4xx, got {(int)Status}: {Body}");
        Assert.Equal("application/problem+json", ContentType);
        Assert.StartsWith(TypeBase, Type, StringComparison.Ordinal);
    }

    public override string ToString() => $"{(int)Status} {Type}: {Body}";
}
