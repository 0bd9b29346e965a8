using ImageClassifier.Inference;

namespace ImageClassifier.MLflow.Tracking;

/// <summary>One classification waiting to be logged: everything the run needs, owned by the queue.</summary>
/// <param name="Time">When it was classified.</param>
/// <param name="ImageUrl">The image's URL for URL requests, as recorded: scheme, host, port and path only.</param>
/// <param name="ImageSha256">The image's SHA-256, for requests that carried the bytes.</param>
/// <param name="EventId">The CloudEvent id, when an event asked.</param>
/// <param name="Model">The model that answered.</param>
/// <param name="Top">The most probable class.</param>
/// <param name="Image">A copy of the image, when images are logged and it is small enough.</param>
/// <param name="ImageFileName">The artifact's file name, when there is an image.</param>
/// <param name="ImageSkipped">Why an image that should have been logged was not.</param>
public sealed record TrackedPrediction(
    DateTimeOffset Time,
    string? ImageUrl,
    string? ImageSha256,
    string? EventId,
    ModelInfo Model,
    Prediction Top,
    byte[]? Image,
    string? ImageFileName,
    string? ImageSkipped);
