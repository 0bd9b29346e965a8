namespace ImageClassifier;

/// <summary>What to classify: an image URL, or the image bytes themselves.</summary>
/// <param name="Url">The image's absolute URL, when the request names one.</param>
/// <param name="Image">The image bytes, when the request carries them.</param>
/// <param name="TopK">How many predictions to return; the configured default when null.</param>
/// <param name="EventId">The id of the CloudEvent that asked, when one did.</param>
public sealed record ClassificationRequest(Uri? Url, ReadOnlyMemory<byte>? Image, int? TopK, string? EventId = null);
