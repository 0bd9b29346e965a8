using ImageClassifier.Inference;

namespace ImageClassifier;

/// <summary>The data of the reply event: what was classified, by which model, and the top-k.</summary>
public sealed record ClassificationResult(Uri? Url, ModelInfo Model, IReadOnlyList<Prediction> Predictions);
