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
    /// The manifest's <c>preprocessing</c>: every field optional, an absent one keeps
    /// <see cref="PreprocessingSpec.ImageNet"/>'s value. <c>cropSize</c> sets the input's width and
    /// height at once, <c>width</c> and <c>height</c> each one of them.
    /// </summary>
    public sealed record PreprocessingSection
    {
        public ResizeMode? Resize { get; init; }

        public Resample? Resample { get; init; }

        public int? ResizeShorterSide { get; init; }

        public int? CropSize { get; init; }

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
            (CropSize is not null || Width is not null || Height is not null ? StatedPreprocessing.Size : StatedPreprocessing.None)
            | (Layout is not null ? StatedPreprocessing.Layout : StatedPreprocessing.None)
            | (Channels is not null ? StatedPreprocessing.Channels : StatedPreprocessing.None)
            | (ResizeShorterSide is not null ? StatedPreprocessing.ResizeShorterSide : StatedPreprocessing.None);

        /// <exception cref="InvalidOperationException">The fields do not make a valid spec.</exception>
        public PreprocessingSpec ToSpec()
        {
            var defaults = PreprocessingSpec.ImageNet;
            var spec = new PreprocessingSpec
            {
                Resize = Resize ?? defaults.Resize,
                Resample = Resample ?? defaults.Resample,
                ResizeShorterSide = ResizeShorterSide ?? defaults.ResizeShorterSide,
                Width = Width ?? CropSize ?? defaults.Width,
                Height = Height ?? CropSize ?? defaults.Height,
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
                throw new InvalidOperationException($"model.json's preprocessing: {exception.Message}", exception);
            }

            return spec;
        }
    }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, UseStringEnumConverter = true)]
[JsonSerializable(typeof(ModelManifest))]
internal sealed partial class ModelManifestJsonContext : JsonSerializerContext;
