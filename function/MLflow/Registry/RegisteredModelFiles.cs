using ImageClassifier.Inference;
using ImageClassifier.MLflow.Client;

namespace ImageClassifier.MLflow.Registry;

/// <summary>A registered model version's files, downloaded and checked, ready to load.</summary>
/// <param name="Name">The registered model's name, as replies report it (beside the version).</param>
/// <param name="ModelPath">The downloaded ONNX file.</param>
/// <param name="LabelsPath">The labels the model carries, or null to use the default labels.</param>
/// <param name="Sha256">The SHA-256 of the downloaded ONNX file.</param>
/// <param name="Version">The version served (what an alias pointed at).</param>
/// <param name="Companions">What the version's MLmodel metadata and Hugging Face files say about the model.</param>
public sealed record RegisteredModelFiles(string Name, string ModelPath, string? LabelsPath, string Sha256, MLflowModelVersion Version, ModelCompanions? Companions = null);
