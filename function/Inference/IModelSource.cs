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

    /// <summary>
    /// True when the model asked for can become another version while the function runs (a
    /// registry alias that is moved), so it is worth asking again; false for a fixed version.
    /// </summary>
    bool CanMove { get; }

    /// <summary>Fetches the requested model's files, retrying (the function stays not ready meanwhile) until it has them.</summary>
    Task<SourcedModel> FetchAsync(CancellationToken cancellationToken);

    /// <summary>Which version the settings name now: one question to the source, not retried.</summary>
    /// <exception cref="ModelUnavailableException">The source could not say (<c>registry_unreachable</c>, <c>registry_refused</c>).</exception>
    Task<string> GetCurrentVersionAsync(CancellationToken cancellationToken);

    /// <summary>One attempt at fetching a version's files, within the source's size and time limits, with their SHA-256.</summary>
    /// <exception cref="ModelUnavailableException">The files could not be had, or not intact (<c>download_failed</c>, <c>hash_mismatch</c>).</exception>
    Task<SourcedModel> FetchVersionAsync(string version, CancellationToken cancellationToken);

    /// <summary>
    /// Lets go of the files of every version but <paramref name="versions"/> (the one serving and
    /// the one before it), so a source's cache does not grow with every version served.
    /// </summary>
    void KeepOnly(IReadOnlyCollection<string> versions)
    {
    }
}

/// <summary>A model's files as a source delivered them, checked and ready to load.</summary>
/// <param name="Name">The name replies report.</param>
/// <param name="Version">The source's version of the model.</param>
/// <param name="ModelPath">The ONNX file.</param>
/// <param name="LabelsPath">The labels the model carries, or null to use the bundled ones.</param>
/// <param name="Sha256">The SHA-256 of the ONNX file as delivered.</param>
/// <param name="Companions">What the files beside the ONNX file and the source's own metadata say about the model.</param>
public sealed record SourcedModel(string Name, string Version, string ModelPath, string? LabelsPath, string Sha256, ModelCompanions? Companions = null);
