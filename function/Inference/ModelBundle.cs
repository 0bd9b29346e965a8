using ImageClassifier.Imaging;

namespace ImageClassifier.Inference;

/// <summary>Everything that makes a classifier: the ONNX file, its labels and how to feed it.</summary>
/// <param name="Name">The model's name, reported in every reply.</param>
/// <param name="ModelPath">The ONNX file.</param>
/// <param name="ExpectedSha256">The pinned SHA-256 of the file, when a manifest pins one.</param>
/// <param name="Labels">One label per output class, in output order.</param>
/// <param name="Preprocessing">How an image becomes the input tensor.</param>
/// <param name="Version">The registry's version, for a model from a registry.</param>
public sealed record ModelBundle(
    string Name,
    string ModelPath,
    string? ExpectedSha256,
    IReadOnlyList<ModelLabel> Labels,
    PreprocessingSpec Preprocessing,
    string? Version = null);
