using System.Text.Json;

namespace ImageClassifier.Inference;

/// <summary>
/// Labels a model's own files state (the ONNX file's <c>metadata_props</c> <c>labels</c>, a JSON
/// array of names; a registry's metadata; a Hugging Face <c>id2label</c>), each bounded in count and
/// length before it reaches a log or a reply; and the class numbers when none does.
/// </summary>
public static class ModelLabels
{
    /// <summary>The <c>metadata_props</c> key an ONNX file states its labels under.</summary>
    public const string MetadataKey = "labels";

    /// <summary>As a labels file: at most a mebibyte.</summary>
    public const int MaxChars = ModelBundleResolver.MaxLabelsBytes;

    /// <summary>The most labels a model's files may state: ImageNet-21k has 21,843 classes.</summary>
    public const int MaxCount = 100_000;

    /// <summary>The longest label a model's files may state, in characters; WordNet's longest names take under 200.</summary>
    public const int MaxNameChars = 256;

    /// <summary><paramref name="names"/> as labels, refused when over the bounds.</summary>
    /// <exception cref="InvalidOperationException">More than <see cref="MaxCount"/> names, or one longer than <see cref="MaxNameChars"/>; the message names <paramref name="source"/>.</exception>
    public static IReadOnlyList<ModelLabel> Named(IReadOnlyList<string> names, string source)
    {
        if (names.Count > MaxCount)
        {
            throw new InvalidOperationException($"{source}: {names.Count} labels, more than the {MaxCount} a model may have.");
        }

        var index = names.ToList().FindIndex(name => name.Length > MaxNameChars);
        return index >= 0
            ? throw new InvalidOperationException($"{source}: label {index} has {names[index].Length} characters, more than the {MaxNameChars} a label may have.")
            : [.. names.Select(name => new ModelLabel(string.Empty, name))];
    }

    /// <summary>The ONNX file's own labels, else the bundled ImageNet labels for 1000 outputs, else class numbers.</summary>
    /// <exception cref="ModelUnavailableException">The file's labels are not a JSON array of names within the bounds (<c>invalid_model</c>).</exception>
    public static ModelBundle FromOnnxMetadata(ModelBundle bundle, IReadOnlyDictionary<string, string> metadata, int classes)
    {
        if (!bundle.LabelsAssumed)
        {
            return bundle;
        }

        if (metadata.TryGetValue(MetadataKey, out var json))
        {
            string[]? names;
            try
            {
                names = json.Length > MaxChars ? null : JsonSerializer.Deserialize(json, ModelManifestJsonContext.Default.StringArray);
            }
            catch (JsonException)
            {
                names = null;
            }

            if (names is null || Array.Exists(names, name => name is null))
            {
                throw new ModelUnavailableException(ModelMetrics.Outcomes.InvalidModel,
                    $"{bundle.ModelPath}: metadata_props '{MetadataKey}' must be a JSON array of names of at most {MaxChars} characters.");
            }

            try
            {
                return bundle with { Labels = Named(names, $"{bundle.ModelPath}: metadata_props '{MetadataKey}'"), LabelsAssumed = false };
            }
            catch (InvalidOperationException exception)
            {
                throw new ModelUnavailableException(ModelMetrics.Outcomes.InvalidModel, exception.Message, exception);
            }
        }

        return bundle.Labels.Count == classes
            ? bundle
            : bundle with { Labels = [.. Enumerable.Range(0, classes).Select(i => new ModelLabel(string.Empty, $"class {i}"))] };
    }
}
