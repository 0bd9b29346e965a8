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

    /// <summary>
    /// The project's preprocessing format (<see cref="PreprocessingFormat"/>), as model.json's
    /// <c>preprocessing</c> and wherever else it is found: every field optional, an absent one keeps
    /// <see cref="PreprocessingSpec.ImageNet"/>'s value. <c>size</c> is <c>[height, width]</c> or
    /// one number for a square; <c>cropSize</c> (model.json's older name) sets both too, and
    /// <c>width</c> and <c>height</c> each one of them.
    /// </summary>
    public sealed record PreprocessingSection
    {
        public ResizeMode? Resize { get; init; }

        public Resample? Resample { get; init; }

        public int? ResizeShorterSide { get; init; }

        public int? CropSize { get; init; }

        [JsonConverter(typeof(InputSizeConverter))]
        public int[]? Size { get; init; }

        public int? Width { get; init; }

        public int? Height { get; init; }

        public TensorLayout? Layout { get; init; }

        public ChannelOrder? Channels { get; init; }

        public float[]? Scale { get; init; }

        public float[]? Mean { get; init; }

        public float[]? Std { get; init; }

        public float? PadValue { get; init; }

        public PadAnchor? PadAnchor { get; init; }

        /// <summary>What the model's output is; absent, the load check decides.</summary>
        public ModelOutput? Output { get; init; }

        /// <summary>Which fields are present, so the ONNX input gives way to them rather than they to it.</summary>
        public StatedPreprocessing Stated =>
            (Size is not null || CropSize is not null || Width is not null || Height is not null ? StatedPreprocessing.Size : StatedPreprocessing.None)
            | (Layout is not null ? StatedPreprocessing.Layout : StatedPreprocessing.None)
            | (Channels is not null ? StatedPreprocessing.Channels : StatedPreprocessing.None)
            | (ResizeShorterSide is not null ? StatedPreprocessing.ResizeShorterSide : StatedPreprocessing.None);

        /// <exception cref="InvalidOperationException">The fields do not make a valid spec; the message names <paramref name="source"/>.</exception>
        public PreprocessingSpec ToSpec(string source = "model.json")
        {
            var defaults = PreprocessingSpec.ImageNet;
            var spec = new PreprocessingSpec
            {
                Resize = Resize ?? defaults.Resize,
                Resample = Resample ?? defaults.Resample,
                ResizeShorterSide = ResizeShorterSide ?? defaults.ResizeShorterSide,
                Width = Width ?? Size?[1] ?? CropSize ?? defaults.Width,
                Height = Height ?? Size?[0] ?? CropSize ?? defaults.Height,
                Layout = Layout ?? defaults.Layout,
                Channels = Channels ?? defaults.Channels,
                Scale = Scale ?? defaults.Scale,
                Mean = Mean ?? defaults.Mean,
                Std = Std ?? defaults.Std,
                PadValue = PadValue ?? defaults.PadValue,
                PadAnchor = PadAnchor ?? defaults.PadAnchor,
            };
            try
            {
                spec.Validate();
            }
            catch (ArgumentException exception)
            {
                throw new InvalidOperationException($"{source}'s preprocessing: {exception.Message}", exception);
            }

            return spec;
        }
    }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, UseStringEnumConverter = true)]
[JsonSerializable(typeof(ModelManifest))]
[JsonSerializable(typeof(ModelManifest.PreprocessingSection))]
[JsonSerializable(typeof(string[]))]
internal sealed partial class ModelManifestJsonContext : JsonSerializerContext;
