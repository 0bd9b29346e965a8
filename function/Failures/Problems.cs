namespace ImageClassifier.Failures;

/// <summary>
/// The catalogue: every problem the function answers, whichever entry point or stage finds it.
/// The README's status table lists the same entries (a test holds the two together).
/// </summary>
public static class Problems
{
    // 400: the request itself is malformed; sending it again cannot help.
    public static readonly ProblemType InvalidRequest = new("invalid-request", 400, "Malformed request");
    public static readonly ProblemType InvalidCloudEvent = new("invalid-cloudevent", 400, "Invalid CloudEvent");
    public static readonly ProblemType AttributeTooLarge = new("attribute-too-large", 400, "CloudEvent attribute too large");
    public static readonly ProblemType CloudEventTooLarge = new("cloudevent-too-large", 400, "CloudEvent envelope too large");
    public static readonly ProblemType InvalidUrl = new("invalid-url", 400, "Invalid image URL");
    public static readonly ProblemType InvalidTopK = new("invalid-top-k", 400, "Invalid topK");
    public static readonly ProblemType NoImage = new("no-image", 400, "No image");
    public static readonly ProblemType InvalidInferenceRequest = new("invalid-inference-request", 400, "Malformed inference request");

    // 404: the inference protocol's route names a model this function does not serve.
    public static readonly ProblemType ModelNotFound = new("model-not-found", 404, "Model not found");

    // 408: the caller did not send its request in time; Knative retries it.
    public static readonly ProblemType RequestTimeout = new("request-timeout", 408, "Request body too slow") { ClosesConnection = true };

    // 413: more than the function reads in one request.
    public static readonly ProblemType PayloadTooLarge = new("payload-too-large", 413, "Request body too large") { ClosesConnection = true };
    public static readonly ProblemType TooManyEvents = new("too-many-events", 413, "Too many events");
    public static readonly ProblemType TooLargeForMemory = new("too-large-for-memory", 413, "Too large for the memory budget") { ClosesConnection = true };
    public static readonly ProblemType JsonTooComplex = new("json-too-complex", 413, "JSON too complex");

    // 415: a format the function does not read.
    public static readonly ProblemType UnsupportedMediaType = new("unsupported-media-type", 415, "Unsupported media type");
    public static readonly ProblemType BinaryTensorDataUnsupported = new("binary-tensor-data-unsupported", 415, "Binary tensor data unsupported");
    public static readonly ProblemType UnsupportedImageFormat = new("unsupported-image-format", 415, "Unsupported image format");

    // 422: the request is well formed, but its image cannot be had or used.
    public static readonly ProblemType UrlRefused = new("url-refused", 422, "Image URL refused");
    public static readonly ProblemType ImageNotFound = new("image-not-found", 422, "Image not found");
    public static readonly ProblemType UpstreamRejected = new("upstream-rejected", 422, "Image host refused");
    public static readonly ProblemType ImageTooLarge = new("image-too-large", 422, "Image too large");
    public static readonly ProblemType ImageTooManyPixels = new("image-too-many-pixels", 422, "Image has too many pixels");
    public static readonly ProblemType ImageTooElongated = new("image-too-elongated", 422, "Image too elongated");
    public static readonly ProblemType NotAnImage = new("not-an-image", 422, "Not an image");
    public static readonly ProblemType ImageCorrupt = new("image-corrupt", 422, "Image corrupt");
    public static readonly ProblemType ImageUnsupported = new("image-unsupported", 422, "Image feature unsupported");
    public static readonly ProblemType ImageDecodeTimeout = new("image-decode-timeout", 422, "Image took too long to decode");

    // 500: a bug; the caller learns only that it was not their fault.
    public static readonly ProblemType InternalError = new("internal-error", 500, "Internal error");

    // 502 and 504: the image host failed or was too slow; a later try may succeed.
    public static readonly ProblemType UpstreamFailed = new("upstream-failed", 502, "Image host failed");
    public static readonly ProblemType TooManyRedirects = new("too-many-redirects", 502, "Too many redirects");
    public static readonly ProblemType UpstreamTimeout = new("upstream-timeout", 504, "Image host too slow");

    // 503 with Retry-After: this instance cannot take the request now; another one may.
    public static readonly ProblemType NotReady = new("not-ready", 503, "Not ready") { ClosesConnection = true, ShedsLoad = true };
    public static readonly ProblemType ShuttingDown = new("shutting-down", 503, "Shutting down") { ClosesConnection = true, ShedsLoad = true };
    public static readonly ProblemType Overloaded = new("overloaded", 503, "Overloaded") { ShedsLoad = true };
    public static readonly ProblemType TooManyUploads = new("too-many-uploads", 503, "Too many bodies arriving") { ShedsLoad = true };
    public static readonly ProblemType MemoryBusy = new("memory-busy", 503, "Memory busy");

    /// <summary>Every entry, in the order above.</summary>
    public static IReadOnlyList<ProblemType> All { get; } =
    [
        InvalidRequest, InvalidCloudEvent, AttributeTooLarge, CloudEventTooLarge, InvalidUrl, InvalidTopK, NoImage, InvalidInferenceRequest,
        ModelNotFound,
        RequestTimeout,
        PayloadTooLarge, TooManyEvents, TooLargeForMemory, JsonTooComplex,
        UnsupportedMediaType, BinaryTensorDataUnsupported, UnsupportedImageFormat,
        UrlRefused, ImageNotFound, UpstreamRejected, ImageTooLarge, ImageTooManyPixels, ImageTooElongated, NotAnImage, ImageCorrupt, ImageUnsupported, ImageDecodeTimeout,
        InternalError,
        UpstreamFailed, TooManyRedirects, UpstreamTimeout,
        NotReady, ShuttingDown, Overloaded, TooManyUploads, MemoryBusy,
    ];
}
