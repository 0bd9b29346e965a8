namespace ImageClassifier.Inference;

/// <summary>Which model answered: its name and the SHA-256 of the ONNX file that was loaded.</summary>
public sealed record ModelInfo(string Name, string Sha256);
