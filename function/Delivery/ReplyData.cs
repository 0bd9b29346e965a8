namespace ImageClassifier.Delivery;

/// <summary>
/// The reply event's data, the function's wire format. <see cref="Url"/> is left out when the
/// request carried the image bytes rather than naming a URL.
/// </summary>
internal sealed record ReplyData(string? Url, ReplyModel Model, IReadOnlyList<ReplyPrediction> Predictions);

/// <summary>
/// Which model answered: its name, its registry version (left out for the bundled model and
/// MODEL_PATH, which have none) and the SHA-256 of its ONNX file.
/// </summary>
internal sealed record ReplyModel(string Name, string? Version, string Sha256);

/// <summary>One class and its probability, highest first in <see cref="ReplyData.Predictions"/>.</summary>
internal sealed record ReplyPrediction(int Index, string Synset, string Label, float Probability);
