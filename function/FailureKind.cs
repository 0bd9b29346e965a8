namespace ImageClassifier;

/// <summary>
/// Why a request could not be answered with a classification. The edge turns each kind into
/// the status code DESIGN.md gives, chosen so that Knative retries only what a retry can fix.
/// </summary>
public enum FailureKind
{
    /// <summary>Bad JSON, no image named, an invalid CloudEvent: 400.</summary>
    BadRequest,

    /// <summary>The image URL may not be fetched (scheme, credentials, address): 422.</summary>
    UrlRefused,

    /// <summary>A content type or event format the function does not read: 415.</summary>
    UnsupportedMediaType,

    /// <summary>The request body is over its limit: 413.</summary>
    PayloadTooLarge,

    /// <summary>The image cannot be used: upstream 4xx, not an image, truncated, too large: 422.</summary>
    ImageUnusable,

    /// <summary>The image host failed after retries (5xx, refused, reset): 502.</summary>
    UpstreamFailed,

    /// <summary>The image host was slower than the total fetch timeout: 504.</summary>
    UpstreamTimeout,

    /// <summary>The function is not ready, shutting down or overloaded: 503 with Retry-After.</summary>
    Unavailable,
}
