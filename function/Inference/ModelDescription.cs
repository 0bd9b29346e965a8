using ImageClassifier.Imaging;

namespace ImageClassifier.Inference;

/// <summary>
/// The one owner of the order in which a model's preprocessing and labels are looked for, first
/// found wins.
/// <para>Preprocessing: the ONNX file's own <c>metadata_props</c> (<see cref="FromOnnxMetadata"/>,
/// once the file is open); the registry's metadata (MLflow's <c>MLmodel</c>); a Hugging Face
/// <c>preprocessor_config.json</c> beside the model; config/model.json (the bundled model and
/// <c>MODEL_PATH</c> only: it describes the bundled model, not a registered one); otherwise assumed
/// from the input's shape with ImageNet's numbers, which the load warns about.</para>
/// <para>Labels: <c>LABELS_PATH</c>; the model's <c>labels.txt</c> or <c>synset.txt</c>; a Hugging
/// Face <c>config.json</c>'s <c>id2label</c>; the registry's metadata; the ONNX file's
/// <c>metadata_props</c>; the bundled ImageNet labels for 1000 outputs; <c>class 0</c>, <c>class 1</c>,
/// … with a warning.</para>
/// </summary>
internal static class ModelDescription
{
    /// <summary><paramref name="bundle"/> with the preprocessing of the first source below the ONNX file's that states one.</summary>
    /// <exception cref="ModelUnavailableException">The first source that states one states it wrongly (<c>invalid_model</c>); the message names it.</exception>
    public static ModelBundle WithPreprocessing(ModelBundle bundle, ModelCompanions companions, ModelManifest.PreprocessingSection? manifest)
    {
        try
        {
            var (section, source) = companions.RegistryPreprocessing is { } json
                ? (PreprocessingFormat.Parse(json, companions.RegistrySource ?? "the registry's metadata"), companions.RegistrySource ?? "the registry's metadata")
                : companions.PreprocessorConfig is { } config ? (HuggingFaceExport.Preprocessing(config), HuggingFaceExport.PreprocessingSource)
                : manifest is not null ? (manifest, ModelBundleResolver.ManifestSource)
                : (null, ModelBundle.AssumedPreprocessing);
            return section is null
                ? bundle with { Preprocessing = PreprocessingSpec.ImageNet, Stated = StatedPreprocessing.None, PreprocessingSource = source, Output = null }
                : bundle with { Preprocessing = section.ToSpec(source), Stated = section.Stated, PreprocessingSource = source, Output = section.Output };
        }
        catch (InvalidOperationException exception)
        {
            throw new ModelUnavailableException(ModelMetrics.Outcomes.InvalidModel, $"{bundle.ModelPath}: {exception.Message}", exception);
        }
    }

    /// <summary>
    /// The labels of the first source down to the registry's metadata that states them: the file
    /// <paramref name="labelsPath"/> (<c>LABELS_PATH</c>, else the model's own labels file), the
    /// companions; else <paramref name="fallbackPath"/>'s, marked assumed when <paramref name="assumeFallback"/>
    /// so that the ONNX file's labels or class numbers may replace them (<see cref="FromOnnxMetadata"/>).
    /// </summary>
    /// <exception cref="ModelUnavailableException">A companion's labels are malformed or over their bounds (<c>invalid_model</c>).</exception>
    public static async Task<(IReadOnlyList<ModelLabel> Labels, bool Assumed)> LabelsAsync(
        string? labelsPath, ModelCompanions companions, Func<string> fallbackPath, bool assumeFallback, CancellationToken cancellationToken)
    {
        if (labelsPath is not null)
        {
            return (await ReadLabelsAsync(labelsPath, cancellationToken), false);
        }

        try
        {
            if (companions.Config is { } config && HuggingFaceExport.Labels(config) is { } id2label)
            {
                return (ModelLabels.Named(id2label, HuggingFaceExport.LabelsSource), false);
            }

            if (companions.RegistryLabels is { } registry)
            {
                return (ModelLabels.Named(registry, companions.RegistrySource ?? "the registry's metadata"), false);
            }
        }
        catch (InvalidOperationException exception)
        {
            throw new ModelUnavailableException(ModelMetrics.Outcomes.InvalidModel, exception.Message, exception);
        }

        return (await ReadLabelsAsync(fallbackPath(), cancellationToken), assumeFallback);
    }

    /// <summary>What the ONNX file's own <c>metadata_props</c> state, above every other source for preprocessing and below the others for labels.</summary>
    /// <exception cref="ModelUnavailableException">The file's preprocessing or labels are not valid (<c>invalid_model</c>).</exception>
    public static ModelBundle FromOnnxMetadata(ModelBundle bundle, IReadOnlyDictionary<string, string> metadata, int? classes)
    {
        bundle = PreprocessingFormat.FromOnnxMetadata(bundle, metadata);
        return classes is { } outputs ? ModelLabels.FromOnnxMetadata(bundle, metadata, outputs) : bundle;
    }

    /// <summary>One label a line, the file at most <see cref="ModelBundleResolver.MaxLabelsBytes"/>.</summary>
    private static async Task<IReadOnlyList<ModelLabel>> ReadLabelsAsync(string path, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"LABELS_PATH: no file at {path}.", path);
        }

        await using var stream = File.OpenRead(path);
        if (stream.Length > ModelBundleResolver.MaxLabelsBytes)
        {
            throw new InvalidDataException($"LABELS_PATH: {path} has {stream.Length} bytes, more than the {ModelBundleResolver.MaxLabelsBytes} a labels file may have.");
        }

        using var reader = new StreamReader(stream);
        var lines = (await reader.ReadToEndAsync(cancellationToken)).Split('\n');
        return [.. lines.Select(line => line.TrimEnd('\r')).Where(line => !string.IsNullOrWhiteSpace(line)).Select(ModelLabel.Parse)];
    }
}
