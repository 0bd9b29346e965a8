using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace ImageClassifier.Imaging;

/// <summary>Pixels → the model's NCHW float tensor, as a <see cref="PreprocessingSpec"/> says.</summary>
public interface ITensorWriter
{
    /// <summary>Writes one image's tensor into <paramref name="destination"/> (length <see cref="PreprocessingSpec.TensorLength"/>).</summary>
    void Write(Image<Rgb24> image, PreprocessingSpec spec, Span<float> destination);
}
