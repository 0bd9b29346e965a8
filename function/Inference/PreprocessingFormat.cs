using System.Text.Json;
using System.Text.Json.Serialization;

namespace ImageClassifier.Inference;

/// <summary>
/// The project's preprocessing format, the one parser of it wherever it is found: config/model.json's
/// <c>preprocessing</c>, and the JSON object under the key <c>preprocessing</c> of an ONNX file's
/// <c>metadata_props</c>. Fields and defaults: <see cref="ModelManifest.PreprocessingSection"/>.
/// </summary>
public static class PreprocessingFormat
{
    /// <summary>The <c>metadata_props</c> key an ONNX file states its preprocessing under.</summary>
    public const string MetadataKey = "preprocessing";

    /// <summary>The <see cref="ModelBundle.PreprocessingSource"/> of an ONNX file's own preprocessing.</summary>
    public const string OnnxMetadataSource = "the ONNX file's metadata_props";

    /// <summary>
    /// The format's JSON is at most 64 KiB: every field together takes a few hundred bytes, and
    /// the parse allocates in proportion, so a model file cannot make the load allocate more.
    /// </summary>
    public const int MaxChars = 64 * 1024;

    /// <summary>Parses one preprocessing object, refusing one larger than <see cref="MaxChars"/>.</summary>
    /// <exception cref="InvalidOperationException">Too large, not the format, or no valid spec; the message names <paramref name="source"/>.</exception>
    public static ModelManifest.PreprocessingSection Parse(string json, string source)
    {
        if (json.Length > MaxChars)
        {
            throw new InvalidOperationException($"{source}: the preprocessing has {json.Length} characters, more than the {MaxChars} it may have.");
        }

        try
        {
            var section = JsonSerializer.Deserialize(json, ModelManifestJsonContext.Default.PreprocessingSection)
                ?? throw new InvalidOperationException($"{source}: the preprocessing is null.");
            section.ToSpec(source);
            return section;
        }
        catch (JsonException exception)
        {
            throw new InvalidOperationException($"{source}: the preprocessing is not the format's JSON object: {exception.Message}", exception);
        }
    }

    /// <summary>
    /// The bundle with the preprocessing the ONNX file states in its own metadata, which wins over
    /// every other source; the bundle as it is when the file states none.
    /// </summary>
    /// <exception cref="ModelUnavailableException">The file's preprocessing is not valid (<c>invalid_model</c>).</exception>
    public static ModelBundle FromOnnxMetadata(ModelBundle bundle, IReadOnlyDictionary<string, string> metadata)
    {
        if (!metadata.TryGetValue(MetadataKey, out var json))
        {
            return bundle;
        }

        try
        {
            var section = Parse(json, $"{bundle.ModelPath}: {OnnxMetadataSource}");
            return bundle with
            {
                Preprocessing = section.ToSpec(OnnxMetadataSource),
                Stated = section.Stated,
                PreprocessingSource = OnnxMetadataSource,
                Output = section.Output,
            };
        }
        catch (InvalidOperationException exception)
        {
            throw new ModelUnavailableException(ModelMetrics.Outcomes.InvalidModel, exception.Message, exception);
        }
    }
}

/// <summary>The format's <c>size</c>: <c>[height, width]</c>, or one number for a square.</summary>
internal sealed class InputSizeConverter : JsonConverter<int[]>
{
    public override int[] Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Number)
        {
            var side = reader.GetInt32();
            return [side, side];
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException("size must be [height, width] or one number.");
        }

        var sides = new List<int>(2);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.Number || sides.Count == 2)
            {
                throw new JsonException("size must be [height, width] or one number.");
            }

            sides.Add(reader.GetInt32());
        }

        return sides.Count == 2 ? [.. sides] : throw new JsonException("size must be [height, width] or one number.");
    }

    public override void Write(Utf8JsonWriter writer, int[] value, JsonSerializerOptions options)
    {
        writer.WriteStartArray();
        foreach (var side in value)
        {
            writer.WriteNumberValue(side);
        }

        writer.WriteEndArray();
    }
}
