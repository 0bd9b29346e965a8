namespace ImageClassifier.Http;

/// <summary>The failures the edge itself finds in a request, with their problem slugs in one place.</summary>
internal static class EdgeFailures
{
    public static ClassificationException InvalidCloudEvent(string detail, Exception? inner = null) =>
        new(FailureKind.BadRequest, "invalid-cloudevent", detail, inner);

    public static ClassificationException InvalidRequest(string detail, Exception? inner = null) =>
        new(FailureKind.BadRequest, "invalid-request", detail, inner);

    public static ClassificationException InvalidUrl() =>
        new(FailureKind.BadRequest, "invalid-url", "The \"url\" is not an absolute URL.");

    public static ClassificationException UnsupportedMediaType(string detail) =>
        new(FailureKind.UnsupportedMediaType, "unsupported-media-type", detail);

    public static ClassificationException PayloadTooLarge(long limit) =>
        new(FailureKind.PayloadTooLarge, "payload-too-large", $"The request body is larger than {limit} bytes, the limit for its content type.");

    public static ClassificationException NotReady() =>
        new(FailureKind.Unavailable, "not-ready", "The model is not loaded yet; retry shortly.")
        {
            RetryAfterSeconds = ProblemMapping.DefaultRetryAfterSeconds,
        };
}
