using System.Text.Json.Serialization;
using ImageClassifier.Imaging;

namespace ImageClassifier.Inference;

/// <summary>config/model.json, copied beside the model at publish time.</summary>
public sealed record ModelManifest(
    string Name,
    ModelManifest.PinnedFile Model,
    ModelManifest.PinnedFile Labels,
    ModelManifest.PreprocessingSection Preprocessing)
{
    public sealed record PinnedFile(string File, Uri Url, string Sha256);

    public sealed record PreprocessingSection(int ResizeShorterSide, int CropSize, float[] Mean, float[] Std)
    {
        public PreprocessingSpec ToSpec() => new(ResizeShorterSide, CropSize, Mean, Std);
    }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(ModelManifest))]
internal sealed partial class ModelManifestJsonContext : JsonSerializerContext;
