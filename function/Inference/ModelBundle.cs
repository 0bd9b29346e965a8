using ImageClassifier.Imaging;

namespace ImageClassifier.Inference;

/// <summary>Everything that makes a classifier: the ONNX file, its labels and how to feed it.</summary>
/// <param name="Name">The model's name, reported in every reply.</param>
/// <param name="ModelPath">The ONNX file.</param>
/// <param name="ExpectedSha256">The pinned SHA-256 of the file, when a manifest pins one.</param>
/// <param name="Labels">One label per output class, in output order.</param>
/// <param name="Preprocessing">How an image becomes the input tensor.</param>
/// <param name="Version">The registry's version, for a model from a registry.</param>
/// <param name="Stated">Which parts of <paramref name="Preprocessing"/> its source stated; the rest gives way to the ONNX input.</param>
/// <param name="PreprocessingSource">Where the preprocessing came from, for the load log and errors.</param>
/// <param name="Output">What the model's output is, when its source states it; else the load check decides.</param>
/// <param name="LabelsAssumed">True when <paramref name="Labels"/> are the bundled ImageNet ones only because the source carried none: the ONNX file's own labels, or class numbers, replace them when they do not fit.</param>
public sealed record ModelBundle(
    string Name,
    string ModelPath,
    string? ExpectedSha256,
    IReadOnlyList<ModelLabel> Labels,
    PreprocessingSpec Preprocessing,
    string? Version = null,
    StatedPreprocessing Stated = StatedPreprocessing.None,
    string PreprocessingSource = ModelBundle.AssumedPreprocessing,
    ModelOutput? Output = null,
    bool LabelsAssumed = false)
{
    /// <summary>The <see cref="PreprocessingSource"/> of a bundle whose source stated none.</summary>
    public const string AssumedPreprocessing = "assumed from the input's shape";
}
