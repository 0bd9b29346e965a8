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

    public static ClassificationException TooManyEvents(int limit) =>
        new(FailureKind.PayloadTooLarge, "too-many-events", $"The CloudEvents batch has more than {limit} events, the limit (MAX_BATCH_EVENTS).");

    /// <summary>SIGTERM arrived; Knative retries a 503, and routes the retry to another instance.</summary>
    public static ClassificationException ShuttingDown() =>
        new(FailureKind.Unavailable, "shutting-down", "This instance is shutting down; retry shortly.")
        {
            RetryAfterSeconds = ProblemMapping.DefaultRetryAfterSeconds,
        };
}
