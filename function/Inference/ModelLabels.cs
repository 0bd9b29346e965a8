using System.Text.Json;

namespace ImageClassifier.Inference;

/// <summary>
/// A registered model's labels when its source carried none: the ONNX file's <c>metadata_props</c>
/// <c>labels</c> (a JSON array of names), else the bundled ImageNet labels for 1000 outputs, else
/// <c>class 0</c>, <c>class 1</c>, … .
/// </summary>
public static class ModelLabels
{
    /// <summary>The <c>metadata_props</c> key an ONNX file states its labels under.</summary>
    public const string MetadataKey = "labels";

    /// <summary>As a labels file: at most a mebibyte.</summary>
    public const int MaxChars = ModelBundleResolver.MaxLabelsBytes;

    /// <exception cref="ModelUnavailableException">The file's labels are not a JSON array of strings, or too large (<c>invalid_model</c>).</exception>
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

            return bundle with { Labels = [.. names.Select(name => new ModelLabel(string.Empty, name))], LabelsAssumed = false };
        }

        return bundle.Labels.Count == classes
            ? bundle
            : bundle with { Labels = [.. Enumerable.Range(0, classes).Select(i => new ModelLabel(string.Empty, $"class {i}"))] };
    }
}
