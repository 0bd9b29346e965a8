using System.Text.Json;
using ImageClassifier.Imaging;

namespace ImageClassifier.Inference;

/// <summary>
/// A Hugging Face export's files beside the model: <c>preprocessor_config.json</c> mapped onto the
/// project's preprocessing format, and <c>config.json</c>'s <c>id2label</c> as labels.
/// </summary>
/// <remarks>
/// The mapping follows what transformers' image processors do with these keys. ViT's resizes
/// straight to <c>size</c>'s height and width (a stretch); MobileNetV2's, BiT's and CLIP's resize the
/// shortest edge to <c>size.shortest_edge</c> and cut <c>crop_size</c> out of the centre (a crop);
/// ConvNeXT's, with <c>crop_pct</c>, resize the shortest edge to <c>int(shortest_edge / crop_pct)</c>
/// and cut a <c>shortest_edge</c> square out of the centre below 384, and stretch to that square from
/// 384 on. Then <c>value = (pixel × rescale_factor − image_mean) / image_std</c>, the format's own
/// formula. A key a saved file leaves out keeps the format's default (saved files carry them all).
/// What the format cannot do (a shortest-edge resize with no crop, a stretch and then a smaller
/// crop, PIL's box or Hamming filters) is refused at load, naming the key.
/// </remarks>
public static class HuggingFaceExport
{
    /// <summary>The <see cref="ModelBundle.PreprocessingSource"/> of a preprocessor_config.json.</summary>
    public const string PreprocessingSource = "the Hugging Face preprocessor_config.json";

    /// <summary>Where the labels come from, for errors.</summary>
    public const string LabelsSource = "the Hugging Face config.json's id2label";

    /// <summary>Below this shortest edge, ConvNeXT's processor crops by <c>crop_pct</c>; from it on, it stretches.</summary>
    public const int CropPctLimit = 384;

    /// <summary>The depth these files nest to, with room: preprocessor_config.json is flat, config.json a few levels.</summary>
    private static readonly JsonDocumentOptions Bounded = new() { MaxDepth = 16 };

    /// <summary>preprocessor_config.json's keys as the project's format.</summary>
    /// <exception cref="InvalidOperationException">Not JSON, a key of the wrong kind, or preprocessing the format cannot do; the message names the key.</exception>
    public static ModelManifest.PreprocessingSection Preprocessing(string json)
    {
        if (json.Length > ModelCompanions.MaxPreprocessorConfigBytes)
        {
            throw Refused($"it has {json.Length} characters, more than the {ModelCompanions.MaxPreprocessorConfigBytes} it may have");
        }

        using var document = Parse(json, PreprocessingSource);
        var config = document.RootElement;
        if (config.ValueKind != JsonValueKind.Object)
        {
            throw Refused("it is not a JSON object");
        }

        var section = Resize(config) with
        {
            Resample = Flag(config, "do_resize", true) && config.TryGetProperty("resample", out var resample) ? Filter(resample) : null,
            Scale = Flag(config, "do_rescale", true) ? [Number(config, "rescale_factor") ?? PreprocessingSpec.DefaultScale] : [1f],
            Mean = Flag(config, "do_normalize", true) ? PerChannel(config, "image_mean") : [0f, 0f, 0f],
            Std = Flag(config, "do_normalize", true) ? PerChannel(config, "image_std") : [1f, 1f, 1f],
        };
        section.ToSpec(PreprocessingSource);
        return section;
    }

    /// <summary>config.json's <c>id2label</c> as names in output order, or null when it has none.</summary>
    /// <exception cref="InvalidOperationException">Not JSON, or an id2label whose ids are not 0 … n−1, or over the labels' bounds.</exception>
    public static IReadOnlyList<string>? Labels(string json)
    {
        if (json.Length > ModelCompanions.MaxConfigBytes)
        {
            throw new InvalidOperationException($"{LabelsSource}: config.json has {json.Length} characters, more than the {ModelCompanions.MaxConfigBytes} it may have.");
        }

        using var document = Parse(json, LabelsSource);
        if (document.RootElement.ValueKind != JsonValueKind.Object || !document.RootElement.TryGetProperty("id2label", out var id2label))
        {
            return null;
        }

        if (id2label.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidOperationException($"{LabelsSource}: id2label must be an object of ids and names.");
        }

        var names = new List<(int Id, string Name)>();
        foreach (var entry in id2label.EnumerateObject())
        {
            if (names.Count == ModelLabels.MaxCount)
            {
                throw new InvalidOperationException($"{LabelsSource}: more than {ModelLabels.MaxCount} labels.");
            }

            if (!int.TryParse(entry.Name, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id)
                || entry.Value.ValueKind != JsonValueKind.String)
            {
                throw new InvalidOperationException($"{LabelsSource}: each entry must be a class number and its name.");
            }

            names.Add((id, entry.Value.GetString()!));
        }

        names.Sort((a, b) => a.Id.CompareTo(b.Id));
        for (var i = 0; i < names.Count; i++)
        {
            if (names[i].Id != i)
            {
                throw new InvalidOperationException($"{LabelsSource}: the ids must be 0 to {names.Count - 1}, each once.");
            }
        }

        return [.. names.Select(name => name.Name)];
    }

    /// <summary>The resize: crop, stretch, or refused, from do_resize, size, crop_pct, do_center_crop and crop_size.</summary>
    private static ModelManifest.PreprocessingSection Resize(JsonElement config)
    {
        var crop = Flag(config, "do_center_crop", false);
        var cropSize = config.TryGetProperty("crop_size", out var cropElement) ? Size(cropElement, "crop_size", square: true) : null;
        if (!Flag(config, "do_resize", true))
        {
            // The image goes in at its own size: the nearest the format has is a stretch to the input's, a no-op at that size.
            return crop
                ? throw Refused("do_center_crop without do_resize cuts the unresized image, which no resize here does")
                : new() { Resize = ResizeMode.Stretch };
        }

        if (!config.TryGetProperty("size", out var sizeElement))
        {
            throw Refused("do_resize needs a size");
        }

        var cropPct = Number(config, "crop_pct");
        // An int size is a shortest edge where a crop follows (CLIP's, MobileNetV2's), else a square (ViT's).
        int? shortest = sizeElement.ValueKind == JsonValueKind.Number
            ? (crop || cropPct is not null ? Int(sizeElement, "size") : null)
            : sizeElement.ValueKind == JsonValueKind.Object && sizeElement.TryGetProperty("shortest_edge", out var edge) ? Int(edge, "size.shortest_edge") : null;
        if (sizeElement.ValueKind == JsonValueKind.Object && sizeElement.TryGetProperty("longest_edge", out _))
        {
            throw Refused("size.longest_edge gives no fixed input size");
        }

        if (shortest is { } side)
        {
            if (cropPct is { } pct)
            {
                if (pct is <= 0 or > 1)
                {
                    throw Refused($"crop_pct must be in (0, 1], not {pct}");
                }

                return side < CropPctLimit
                    ? new() { Resize = ResizeMode.Crop, ResizeShorterSide = (int)(side / pct), Size = crop && cropSize is not null ? cropSize : [side, side] }
                    : new() { Resize = ResizeMode.Stretch, Size = [side, side] };
            }

            return crop && cropSize is not null
                ? new() { Resize = ResizeMode.Crop, ResizeShorterSide = side, Size = cropSize }
                : throw Refused("size.shortest_edge without do_center_crop and crop_size gives no fixed input size");
        }

        var size = Size(sizeElement, "size", square: true)!;
        return crop && cropSize is not null && !cropSize.SequenceEqual(size)
            ? throw Refused($"a stretch to size {size[0]}x{size[1]} and then a centre crop of {cropSize[0]}x{cropSize[1]} is not a resize done here")
            : new() { Resize = ResizeMode.Stretch, Size = size };
    }

    /// <summary>PIL's resampling codes (PIL.Image.Resampling).</summary>
    private static Resample Filter(JsonElement code) => code.ValueKind == JsonValueKind.Number && code.TryGetInt32(out var value)
        ? value switch
        {
            0 => Imaging.Resample.Nearest,
            1 => Imaging.Resample.Lanczos,
            2 => Imaging.Resample.Bilinear,
            3 => Imaging.Resample.Bicubic,
            _ => throw Refused($"resample {value} (PIL's box, Hamming or unknown) is not a filter done here: 0 nearest, 1 Lanczos, 2 bilinear or 3 bicubic"),
        }
        : throw Refused("resample must be one of PIL's filter numbers");

    /// <summary>[height, width] from {height, width}, or a square from one number.</summary>
    private static int[]? Size(JsonElement element, string key, bool square) => element.ValueKind switch
    {
        JsonValueKind.Number when square => [Int(element, key), Int(element, key)],
        JsonValueKind.Object when element.TryGetProperty("height", out var height) && element.TryGetProperty("width", out var width) =>
            [Int(height, key + ".height"), Int(width, key + ".width")],
        JsonValueKind.Null => null,
        _ => throw Refused($"{key} must be {{\"height\", \"width\"}} or one number here"),
    };

    private static int Int(JsonElement element, string key) =>
        element.ValueKind == JsonValueKind.Number && element.TryGetInt32(out var value) && value > 0
            ? value
            : throw Refused($"{key} must be a positive whole number");

    private static bool Flag(JsonElement config, string key, bool absent) =>
        !config.TryGetProperty(key, out var value) || value.ValueKind == JsonValueKind.Null ? absent
        : value.ValueKind is JsonValueKind.True or JsonValueKind.False ? value.GetBoolean()
        : throw Refused($"{key} must be true or false");

    private static float? Number(JsonElement config, string key) =>
        !config.TryGetProperty(key, out var value) || value.ValueKind == JsonValueKind.Null ? null
        : value.ValueKind == JsonValueKind.Number ? value.GetSingle()
        : throw Refused($"{key} must be a number");

    /// <summary>One number a channel, or one for all three; absent, the format's default.</summary>
    private static float[]? PerChannel(JsonElement config, string key)
    {
        if (!config.TryGetProperty(key, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.Number)
        {
            var single = value.GetSingle();
            return [single, single, single];
        }

        if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() is not (1 or 3)
            || !value.EnumerateArray().All(item => item.ValueKind == JsonValueKind.Number))
        {
            throw Refused($"{key} must be one number or three");
        }

        float[] values = [.. value.EnumerateArray().Select(item => item.GetSingle())];
        return values.Length == 1 ? [values[0], values[0], values[0]] : values;
    }

    private static JsonDocument Parse(string json, string source)
    {
        try
        {
            return JsonDocument.Parse(json, Bounded);
        }
        catch (JsonException exception)
        {
            throw new InvalidOperationException($"{source} is not JSON: {exception.Message}", exception);
        }
    }

    private static InvalidOperationException Refused(string why) => new($"{PreprocessingSource}: {why}.");
}
