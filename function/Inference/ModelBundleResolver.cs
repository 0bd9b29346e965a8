using System.Text.Json;
using ImageClassifier.Imaging;
using Microsoft.Extensions.Options;

namespace ImageClassifier.Inference;

/// <summary>
/// Decides which model to serve: the one bundled at publish time (described by model.json
/// beside it), the file that <c>MODEL_PATH</c> names, with <c>LABELS_PATH</c>'s labels, or the
/// model a <see cref="IModelSource"/> (a registry) was asked for.
/// </summary>
public sealed class ModelBundleResolver(IOptions<InferenceOptions> options, IEnumerable<IModelSource> sources)
{
    /// <summary>Where the build puts the pinned model, its labels and its manifest.</summary>
    public static string BundledDirectory { get; } = Path.Combine(AppContext.BaseDirectory, "model");

    /// <summary>A labels file is at most a mebibyte: 1000 classes take about 30 KiB.</summary>
    public const int MaxLabelsBytes = 1024 * 1024;

    /// <summary>The <see cref="ModelBundle.PreprocessingSource"/> of model.json's preprocessing.</summary>
    public const string ManifestSource = "model.json";

    public async Task<ModelBundle> ResolveAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var manifest = await ReadManifestAsync(cancellationToken);

        if (RequestedSource() is { } source)
        {
            // Waits (not ready) until the source gives the files.
            return await ResolveAsync(await source.FetchAsync(cancellationToken), cancellationToken);
        }

        if (!string.IsNullOrWhiteSpace(settings.ModelPath))
        {
            var modelPath = RequireFile(settings.ModelPath, "MODEL_PATH");
            var companions = await ModelCompanions.ReadBesideAsync(Path.GetDirectoryName(modelPath)!, cancellationToken);
            var (labels, _) = await ModelDescription.LabelsAsync(settings.LabelsPath, companions,
                () => BundledPath(manifest?.Labels.File, "LABELS_PATH"), assumeFallback: false, cancellationToken);
            var bundle = new ModelBundle(Path.GetFileNameWithoutExtension(settings.ModelPath), modelPath, ExpectedSha256: null, labels, PreprocessingSpec.ImageNet);
            return ModelDescription.WithPreprocessing(bundle, companions, manifest?.Preprocessing);
        }

        if (manifest is null)
        {
            throw new InvalidOperationException(
                $"No model is bundled in {BundledDirectory} and MODEL_PATH is not set: publish with the model, or set MODEL_PATH.");
        }

        var bundled = new ModelBundle(
            manifest.Name,
            BundledPath(manifest.Model.File, "MODEL_PATH"),
            manifest.Model.Sha256,
            (await ModelDescription.LabelsAsync(settings.LabelsPath ?? BundledPath(manifest.Labels.File, "LABELS_PATH"), ModelCompanions.None,
                () => BundledPath(manifest.Labels.File, "LABELS_PATH"), assumeFallback: false, cancellationToken)).Labels,
            PreprocessingSpec.ImageNet);
        return ModelDescription.WithPreprocessing(bundled, ModelCompanions.None, manifest.Preprocessing);
    }

    /// <summary>
    /// A source's model with the labels and preprocessing its files state (<see cref="ModelDescription"/>),
    /// pinned to the SHA-256 the source delivered. model.json describes the bundled model, not a
    /// registered one, so it is not read for the preprocessing; its labels are the last resort.
    /// </summary>
    public async Task<ModelBundle> ResolveAsync(SourcedModel sourced, CancellationToken cancellationToken)
    {
        var manifest = await ReadManifestAsync(cancellationToken);
        var companions = sourced.Companions ?? ModelCompanions.None;
        var (labels, assumed) = await ModelDescription.LabelsAsync(options.Value.LabelsPath ?? sourced.LabelsPath, companions,
            () => BundledPath(manifest?.Labels.File, "LABELS_PATH"), assumeFallback: true, cancellationToken);
        var bundle = new ModelBundle(sourced.Name, sourced.ModelPath, sourced.Sha256, labels, PreprocessingSpec.ImageNet, sourced.Version, LabelsAssumed: assumed);
        return ModelDescription.WithPreprocessing(bundle, companions, manifest: null);
    }

    /// <summary>The source the settings ask for, or null when the model is bundled or MODEL_PATH's.</summary>
    /// <exception cref="InvalidOperationException">Two settings name a model.</exception>
    public IModelSource? RequestedSource()
    {
        var requested = sources.Where(source => source.IsRequested).ToList();
        var named = requested.Select(source => source.Setting).ToList();
        if (!string.IsNullOrWhiteSpace(options.Value.ModelPath))
        {
            named.Add("MODEL_PATH");
        }

        return named.Count > 1
            ? throw new InvalidOperationException($"{string.Join(" and ", named)} name {named.Count} models: set only one.")
            : requested.SingleOrDefault();
    }

    private static async Task<ModelManifest?> ReadManifestAsync(CancellationToken cancellationToken)
    {
        var path = Path.Combine(BundledDirectory, "model.json");
        if (!File.Exists(path))
        {
            return null;
        }

        await using var stream = File.OpenRead(path);
        return await JsonSerializer.DeserializeAsync(stream, ModelManifestJsonContext.Default.ModelManifest, cancellationToken)
            ?? throw new InvalidOperationException($"{path} is empty.");
    }

    private static string BundledPath(string? fileName, string variable) =>
        fileName is null
            ? throw new InvalidOperationException($"No file is bundled for {variable}: set {variable}.")
            : RequireFile(Path.Combine(BundledDirectory, fileName), variable);

    private static string RequireFile(string path, string variable) =>
        File.Exists(path) ? Path.GetFullPath(path) : throw new FileNotFoundException($"{variable}: no file at {path}.", path);
}
