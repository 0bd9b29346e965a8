namespace ImageClassifier.Inference;

/// <summary>
/// Where a model comes from when it is neither bundled nor named by MODEL_PATH: a model
/// registry, plugged in by the feature that speaks to it (see MLflow/).
/// </summary>
public interface IModelSource
{
    /// <summary>The setting that asks for a model from this source, for messages, e.g. <c>MODEL_URI</c>.</summary>
    string Setting { get; }

    /// <summary>True when the settings ask for a model from this source.</summary>
    bool IsRequested { get; }

    /// <summary>Fetches the requested model's files, retrying (the function stays not ready meanwhile) until it has them.</summary>
    Task<SourcedModel> FetchAsync(CancellationToken cancellationToken);
}

/// <summary>A model's files as a source delivered them, checked and ready to load.</summary>
/// <param name="Name">The name replies report.</param>
/// <param name="ModelPath">The ONNX file.</param>
/// <param name="LabelsPath">The labels the model carries, or null to use the bundled ones.</param>
/// <param name="Sha256">The SHA-256 of the ONNX file as delivered.</param>
public sealed record SourcedModel(string Name, string ModelPath, string? LabelsPath, string Sha256);
