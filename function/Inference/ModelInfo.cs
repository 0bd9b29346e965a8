namespace ImageClassifier.Inference;

/// <summary>Which model answered: its name, its registry version and the SHA-256 of the ONNX file that was loaded.</summary>
/// <param name="Name">The model's name: the registered model's name, or the bundled or MODEL_PATH file's.</param>
/// <param name="Sha256">The SHA-256 of the ONNX file, which tells any two models apart.</param>
/// <param name="Version">The registry's version number; null for the bundled model and MODEL_PATH, which have none.</param>
public sealed record ModelInfo(string Name, string Sha256, string? Version = null);
